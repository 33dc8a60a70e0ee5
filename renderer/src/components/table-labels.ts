/**
 * Each body cell's column header, written on the cell as `data-label`, so a narrow window can stack
 * a row as a small card of "label / value" pairs (components.css) instead of scrolling sideways.
 * Grouped headers (Reconcile's "Last 7 days" over "Billed") join top-down: "Last 7 days · Billed".
 * A header only screen readers see (the row's buttons) labels nothing. A cell of a secondary column
 * (its header has the class col-secondary) is marked `data-secondary`: a narrow window leaves it out.
 */
export function labelCells(table: HTMLTableElement): void {
  const { labels, secondary } = headerLabels(table);
  for (const row of Array.from(table.tBodies).flatMap((b) => Array.from(b.rows))) {
    let column = 0;
    for (const cell of Array.from(row.cells)) {
      const label = cell.colSpan === 1 ? labels[column] : undefined;
      if (label) cell.setAttribute('data-label', label);
      else cell.removeAttribute('data-label');
      cell.toggleAttribute('data-secondary', cell.colSpan === 1 && secondary.has(column));
      column += cell.colSpan;
    }
  }
}

/** The label of each column, from every header row (rowSpan and colSpan laid out as a grid). */
function headerLabels(table: HTMLTableElement): { labels: string[]; secondary: Set<number> } {
  const secondary = new Set<number>();
  const grid: string[][] = [];
  const rows = table.tHead ? Array.from(table.tHead.rows) : [];
  rows.forEach((row, r) => {
    grid[r] ??= [];
    let column = 0;
    for (const cell of Array.from(row.cells)) {
      while (grid[r]![column] !== undefined) column++;
      const text = cell.querySelector('.sr-only') ? '' : (cell.textContent ?? '').trim();
      if (cell.classList.contains('col-secondary')) for (let dc = 0; dc < cell.colSpan; dc++) secondary.add(column + dc);
      for (let dr = 0; dr < cell.rowSpan; dr++) {
        grid[r + dr] ??= [];
        for (let dc = 0; dc < cell.colSpan; dc++) grid[r + dr]![column + dc] = dr === 0 ? text : '';
      }
      column += cell.colSpan;
    }
  });
  const width = Math.max(0, ...grid.map((g) => g.length));
  return { labels: Array.from({ length: width }, (_, c) => grid.map((g) => g[c] ?? '').filter(Boolean).join(' · ')), secondary };
}
