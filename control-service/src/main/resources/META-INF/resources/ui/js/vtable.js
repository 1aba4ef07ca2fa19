// A virtualised grid: only the rows in view (plus a few) exist in the DOM, so a session's
// thousands of entries scroll without lag. Keyboard: arrows, Page Up/Down, Home/End move the
// active row, Enter opens it.
import {h} from './dom.js';

export class VirtualTable {
  /**
   * columns: [{key, label, cls, value(row) -> string}]; onOpen(row) when a row is chosen;
   * rowHeight in px (the CSS must agree: .vt-row height).
   */
  constructor({label, columns, onOpen, rowHeight = 28, overscan = 8}) {
    this.columns = columns;
    this.onOpen = onOpen;
    this.rowHeight = rowHeight;
    this.overscan = overscan;
    this.rows = [];
    this.active = -1;
    this.selectedId = null;
    this.pool = [];
    this.follow = true;
    this.header = h('div', {class: 'vt-row vt-head', role: 'row', 'aria-rowindex': 1},
      columns.map((c) => h('div', {role: 'columnheader', class: 'vt-cell ' + (c.cls || '')}, c.label)));
    this.spacer = h('div', {class: 'vt-spacer', role: 'presentation'});
    this.el = h('div', {class: 'vt', role: 'grid', tabindex: 0, 'aria-label': label, 'aria-rowcount': 1, 'aria-colcount': columns.length},
      h('div', {role: 'rowgroup', class: 'vt-headgroup'}, this.header), h('div', {role: 'rowgroup', class: 'vt-bodygroup'}, this.spacer));
    this.el.addEventListener('scroll', () => {
      this.follow = this.el.scrollTop + this.el.clientHeight >= this.el.scrollHeight - this.rowHeight;
      this.schedule();
    }, {passive: true});
    this.el.addEventListener('keydown', (e) => this.key(e));
    this.el.addEventListener('click', (e) => {
      const r = e.target.closest('.vt-row[data-index]');
      if (!r) return;
      this.setActive(Number(r.dataset.index));
      this.open();
    });
    new ResizeObserver(() => this.schedule()).observe(this.el);
  }

  /** Sets the rows shown (already filtered); keeps the active row by id. */
  setRows(rows) {
    const activeId = this.rows[this.active]?.id;
    this.rows = rows;
    this.active = activeId ? rows.findIndex((r) => r.id === activeId) : -1;
    this.el.setAttribute('aria-rowcount', String(rows.length + 1));
    this.spacer.style.height = rows.length * this.rowHeight + 'px';
    if (this.follow) this.el.scrollTop = this.el.scrollHeight;
    this.schedule();
  }

  select(id) {
    this.selectedId = id;
    const i = this.rows.findIndex((r) => r.id === id);
    if (i >= 0) this.setActive(i);
    else this.schedule();
  }

  schedule() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  draw() {
    const top = Math.max(0, this.el.scrollTop - this.header.offsetHeight);
    const first = Math.max(0, Math.floor(top / this.rowHeight) - this.overscan);
    const count = Math.ceil(this.el.clientHeight / this.rowHeight) + 2 * this.overscan;
    const last = Math.min(this.rows.length, first + count);
    while (this.pool.length < last - first) {
      const r = h('div', {class: 'vt-row', role: 'row'},
        this.columns.map((c) => h('div', {role: 'gridcell', class: 'vt-cell ' + (c.cls || '')})));
      this.pool.push(r);
      this.spacer.appendChild(r);
    }
    this.pool.forEach((el, k) => {
      const i = first + k;
      if (i >= last) {
        el.hidden = true;
        el.removeAttribute('id');
        el.removeAttribute('data-index');
        return;
      }
      const row = this.rows[i];
      el.hidden = false;
      el.id = 'vt-row-' + i;
      el.dataset.index = String(i);
      el.dataset.id = row.id;
      el.setAttribute('aria-rowindex', String(i + 2));
      el.setAttribute('aria-selected', String(row.id === this.selectedId));
      el.classList.toggle('active', i === this.active);
      el.className = 'vt-row' + (i === this.active ? ' active' : '') + (row.cls ? ' ' + row.cls : '');
      el.style.transform = `translateY(${i * this.rowHeight}px)`;
      this.columns.forEach((c, j) => {
        const cell = el.children[j];
        const text = c.value(row);
        if (cell.textContent !== text) {
          cell.textContent = text;
          cell.title = text;
        }
      });
    });
    if (this.active >= first && this.active < last) this.el.setAttribute('aria-activedescendant', 'vt-row-' + this.active);
    else this.el.removeAttribute('aria-activedescendant');
  }

  setActive(i) {
    if (!this.rows.length) return;
    this.active = Math.max(0, Math.min(this.rows.length - 1, i));
    const y = this.active * this.rowHeight;
    const view = this.el.clientHeight - this.header.offsetHeight;
    if (y < this.el.scrollTop) this.el.scrollTop = y;
    else if (y + this.rowHeight > this.el.scrollTop + view) this.el.scrollTop = y + this.rowHeight - view;
    this.draw();
  }

  open() {
    const row = this.rows[this.active];
    if (row) this.onOpen(row);
  }

  key(e) {
    const page = Math.max(1, Math.floor(this.el.clientHeight / this.rowHeight) - 1);
    const moves = {ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page};
    if (e.key in moves) this.setActive((this.active < 0 ? -1 : this.active) + moves[e.key]);
    else if (e.key === 'Home') this.setActive(0);
    else if (e.key === 'End') this.setActive(this.rows.length - 1);
    else if (e.key === 'Enter' || e.key === ' ') this.open();
    else return;
    e.preventDefault();
  }

  /** How many row elements exist (for tests and the curious). */
  get renderedRows() {
    return this.pool.filter((r) => !r.hidden).length;
  }
}
