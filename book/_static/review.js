/* Review exercises: check a multiple-choice answer in the page (HTML only).
 *
 * Each question is a <fieldset class="review-choices" data-correct="N"> of radio
 * buttons (written by build_tools/sphinx_ext/review.py) with a hidden "Check
 * answer" button and a live region. This script shows the button and, when it
 * is pressed, says in the live region whether the chosen option is right.
 * Without the script the question is still there and the answer is in the
 * solution under it. No network, no dependencies.
 */
(function () {
  "use strict";

  function optionText(fieldset, input) {
    var label = fieldset.querySelector('label[for="' + input.id + '"]');
    return label ? label.textContent.replace(/\s+/g, " ").trim() : "";
  }

  function setUp(fieldset) {
    var button = fieldset.querySelector("button.review-check");
    var feedback = fieldset.querySelector(".review-feedback");
    var correct = fieldset.getAttribute("data-correct");
    if (!button || !feedback || !correct) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      var chosen = fieldset.querySelector('input[type="radio"]:checked');
      fieldset.classList.remove("review-right", "review-wrong");
      if (!chosen) {
        feedback.textContent = "Choose an answer first.";
        return;
      }
      if (chosen.value === correct) {
        fieldset.classList.add("review-right");
        feedback.textContent = "Correct: " + optionText(fieldset, chosen) + ".";
      } else {
        fieldset.classList.add("review-wrong");
        feedback.textContent = "Not quite: " + optionText(fieldset, chosen) +
          " is not the answer. Try again, or open the solution below.";
      }
    });
    fieldset.addEventListener("change", function () {
      fieldset.classList.remove("review-right", "review-wrong");
      feedback.textContent = "";
    });
  }

  function start() {
    var fieldsets = document.querySelectorAll("fieldset.review-choices");
    for (var i = 0; i < fieldsets.length; i += 1) {
      setUp(fieldsets[i]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
