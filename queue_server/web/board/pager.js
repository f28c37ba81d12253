// Pages of a list that does not fit its box. The board never shrinks text below the size its
// reading distance needs (docs/devices.md); when there are more windows or services than fit,
// it shows them a page at a time and turns the pages on a timer.

export class Pager {
  // `box` has a size set by the layout (not by its content) and clips what overflows it;
  // `label` shows "page i/n" when there is more than one page.
  constructor(box, label) {
    this.box = box;
    this.label = label;
    this.pages = [[0, 0]];
    this.index = 0;
  }

  // Split the box's children into pages that fit, keep showing the page the first item of the
  // current page moved to. Each page holds at least one item.
  layout() {
    const items = [...this.box.children];
    const first = this.pages[this.index]?.[0] ?? 0;
    this.pages = [];
    let start = 0;
    while (start < items.length) {
      const end = start + fitting(this.box, items, start);
      this.pages.push([start, end]);
      start = end;
    }
    if (!this.pages.length) this.pages.push([0, 0]);
    const found = this.pages.findIndex(([a, b]) => first >= a && first < b);
    this.index = found < 0 ? 0 : found;
    this.show();
  }

  next() {
    this.index = (this.index + 1) % this.pages.length;
    this.show();
  }

  get count() {
    return this.pages.length;
  }

  show() {
    const [start, end] = this.pages[this.index];
    [...this.box.children].forEach((item, i) => {
      item.hidden = i < start || i >= end;
    });
    if (!this.label) return;
    const many = this.pages.length > 1;
    this.label.hidden = !many;
    this.label.textContent = many
      ? `第 ${this.index + 1}/${this.pages.length} 页 · Page ${this.index + 1} of ${this.pages.length}`
      : "";
  }
}

// How many items from `start` on fit inside the box (at least one, so a page is never empty).
function fitting(box, items, start) {
  items.forEach((item, i) => {
    item.hidden = i < start;
  });
  const edge = box.getBoundingClientRect();
  let n = 0;
  for (let i = start; i < items.length; i += 1) {
    const r = items[i].getBoundingClientRect();
    if (r.bottom > edge.bottom + 0.5 || r.right > edge.right + 0.5) break;
    n += 1;
  }
  return Math.max(n, 1);
}
