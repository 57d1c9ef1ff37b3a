/* Glossary tooltips: a term link shows its definition when hovered or focused.
 *
 * The build puts each definition in the link's title (a.glossary-term[title]);
 * this script moves it into one shared element with role="tooltip", linked to
 * the shown term by aria-describedby. Escape hides the tooltip; the pointer
 * can move onto it without it closing. Works offline: no library, no network.
 */
(function () {
  "use strict";

  var tip = null;
  var current = null;
  var hideTimer = 0;

  function tooltip() {
    if (!tip) {
      tip = document.createElement("div");
      tip.id = "glossary-tooltip";
      tip.className = "glossary-tooltip";
      tip.setAttribute("role", "tooltip");
      tip.hidden = true;
      tip.addEventListener("mouseenter", function () { window.clearTimeout(hideTimer); });
      tip.addEventListener("mouseleave", scheduleHide);
      // inside the main landmark, so assistive technology finds it with the text
      (document.querySelector("main") || document.body).appendChild(tip);
    }
    return tip;
  }

  function place(link) {
    var margin = 8;
    var box = link.getBoundingClientRect();
    var width = document.documentElement.clientWidth;
    tip.style.maxWidth = Math.min(352, width - 2 * margin) + "px";
    var left = Math.max(margin, Math.min(box.left, width - tip.offsetWidth - margin));
    var below = box.bottom + 6;
    var top = below + tip.offsetHeight > window.innerHeight - margin && box.top > tip.offsetHeight + margin
      ? box.top - tip.offsetHeight - 6
      : below;
    tip.style.left = left + "px";  // position: fixed, in viewport coordinates
    tip.style.top = top + "px";
  }

  function show(link) {
    window.clearTimeout(hideTimer);
    var element = tooltip();
    if (current && current !== link) current.removeAttribute("aria-describedby");
    current = link;
    element.textContent = link.getAttribute("data-definition");
    element.hidden = false;
    link.setAttribute("aria-describedby", element.id);
    place(link);
  }

  function hide() {
    window.clearTimeout(hideTimer);
    if (tip) tip.hidden = true;
    if (current) current.removeAttribute("aria-describedby");
    current = null;
  }

  function scheduleHide() {
    window.clearTimeout(hideTimer);
    hideTimer = window.setTimeout(function () {
      if (current && document.activeElement === current) return;  // keyboard focus keeps it
      hide();
    }, 200);
  }

  function init() {
    var links = document.querySelectorAll("a.glossary-term[title]");
    Array.prototype.forEach.call(links, function (link) {
      link.setAttribute("data-definition", link.getAttribute("title"));
      link.removeAttribute("title");  // no second, native tooltip
      link.addEventListener("mouseenter", function () { show(link); });
      link.addEventListener("mouseleave", scheduleHide);
      link.addEventListener("focus", function () { show(link); });
      link.addEventListener("blur", function () { if (current === link) hide(); });
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && current) hide();
    });
    window.addEventListener("resize", function () { if (current) place(current); });
    window.addEventListener("scroll", function () { if (current) place(current); }, { passive: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
