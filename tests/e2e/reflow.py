"""Reflow at 320 CSS px (WCAG 2.1 SC 1.4.10, required by lag 2018:1937).

``assert_reflows(page)`` narrows the viewport to 320 px, checks that the page
does not scroll sideways and that nothing sticks out past the viewport except
inside a scroll container of its own, and that every such container that does
scroll can be reached by keyboard and has a name (a screen-reader user must know
what they are scrolling). It restores the viewport afterwards, so a flow goes on
as before."""

REFLOW_WIDTH = 320
# WCAG's 320 px is 1280 px at 400 % zoom; the height does not matter for
# vertical-scrolling content, so a phone-like one is used.
REFLOW_HEIGHT = 640

# Returns a description of every failure; an empty list means the page reflows.
_MEASURE = """
(width) => {
  const problems = [];
  const doc = document.documentElement;
  const describe = (el) => {
    let name = el.tagName.toLowerCase();
    if (el.id) name += "#" + el.id;
    if (el.classList.length) name += "." + Array.from(el.classList).join(".");
    const text = (el.innerText || el.value || "").trim().replace(/\\s+/g, " ");
    return name + (text ? ` "${text.slice(0, 60)}"` : "");
  };
  const scrolls = (style) => style.overflowX === "auto" || style.overflowX === "scroll";
  const clips = (style) => style.overflowX === "hidden" || style.overflowX === "clip";
  // Inside a container that scrolls or clips, the page itself is not widened.
  const inScrollContainer = (el, self) => {
    for (let up = self ? el : el.parentElement; up && up !== document.body; up = up.parentElement) {
      const upStyle = getComputedStyle(up);
      if (scrolls(upStyle) || clips(upStyle)) return true;
    }
    return false;
  };
  if (doc.scrollWidth > width) {
    problems.push(`the page is ${doc.scrollWidth} px wide`);
  }
  const offenders = [];
  for (const el of document.body.querySelectorAll("*")) {
    const style = getComputedStyle(el);
    if (style.display === "none" || style.visibility === "hidden") continue;
    const rect = el.getBoundingClientRect();
    if (rect.width === 0 && rect.height === 0) continue;
    if (scrolls(style) && el.scrollWidth > el.clientWidth + 1) {
      const labelled = el.getAttribute("aria-labelledby")
        ? el.getAttribute("aria-labelledby").split(/\\s+/).some(
            (id) => (document.getElementById(id)?.textContent || "").trim())
        : (el.getAttribute("aria-label") || "").trim();
      const native = ["TEXTAREA", "SELECT", "INPUT"].includes(el.tagName);
      if (!native && !(el.tabIndex >= 0 && el.hasAttribute("tabindex"))) {
        problems.push(`${describe(el)} scrolls sideways but cannot be reached by keyboard`);
      } else if (!native && !labelled) {
        problems.push(`${describe(el)} scrolls sideways but has no name`);
      }
    }
    if (rect.right <= width + 0.5) continue;
    if (inScrollContainer(el, false)) continue;
    // Report the outermost element only: its children stick out because it does.
    if (offenders.some(([outer]) => outer.contains(el))) continue;
    offenders.push([el, rect.right]);
  }
  // A word longer than its box (a long name, an address) overflows the box
  // without widening it, so text is measured on its own.
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!node.textContent.trim() || offenders.some(([outer]) => outer.contains(el))) continue;
    range.selectNodeContents(node);
    const right = range.getBoundingClientRect().right;
    if (right <= width + 0.5) continue;
    if (inScrollContainer(el, true)) continue;
    const style = getComputedStyle(el);
    if (style.display === "none" || style.visibility === "hidden") continue;
    offenders.push([el, right]);
  }
  for (const [el, right] of offenders) {
    problems.push(`${describe(el)} reaches ${Math.round(right)} px`);
  }
  return problems;
}
"""


def reflow_problems(page, width=REFLOW_WIDTH):
    """The reasons ``page`` does not reflow at ``width`` px (empty when it does)."""
    before = page.viewport_size
    page.set_viewport_size({"width": width, "height": REFLOW_HEIGHT})
    try:
        return page.evaluate(_MEASURE, width)
    finally:
        if before:
            page.set_viewport_size(before)


def assert_reflows(page, width=REFLOW_WIDTH):
    problems = reflow_problems(page, width)
    assert not problems, f"{page.url} does not reflow at {width} px:\n  " + "\n  ".join(problems)
