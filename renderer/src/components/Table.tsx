import { useLayoutEffect, useRef, type ReactNode } from 'react';
import { labelCells } from './table-labels';

/** A column's header: its label, and whether its figures are right-aligned. A string is a left-aligned label. */
export type Column = string | { label: ReactNode; right?: boolean; secondary?: boolean };

/** A right-aligned column, for amounts and counts. */
export const right = (label: ReactNode): Column => ({ label, right: true });

/** A column a narrow window leaves out of its stacked rows (detail the wide table still shows). */
export const secondary = (column: Column): Column => (typeof column === 'string' ? { label: column, secondary: true } : { ...column, secondary: true });

/** The column of row buttons: named for screen readers only. */
export const ACTIONS: Column = { label: <span className="sr-only">Actions</span> };

/** One `th` per column, for a header row of its own or a table's second header row. */
export function HeaderCells({ columns }: { columns: readonly Column[] }) {
  return (
    <>
      {columns.map((c, i) => (
        <th key={i} scope="col" className={typeof c === 'string' ? undefined : [c.right ? 'right' : '', c.secondary ? 'col-secondary' : ''].filter(Boolean).join(' ') || undefined}>
          {typeof c === 'string' ? c : c.label}
        </th>
      ))}
    </>
  );
}

/**
 * Every table of the window: the scrolling wrapper, one header row from `columns` (or `head` for
 * grouped headers) and the rows. `stale` dims the rows while a newer page is read.
 */
export function Table({
  columns = [],
  head,
  scroll,
  stale,
  children,
}: {
  columns?: readonly Column[];
  head?: ReactNode;
  scroll?: boolean;
  stale?: boolean;
  children: ReactNode;
}) {
  const ref = useRef<HTMLTableElement>(null);
  // After every render (rows come and go): each cell learns its column's name, for the stacked rows
  // of a narrow window (components.css). Only an attribute React does not manage is touched.
  useLayoutEffect(() => {
    if (ref.current) labelCells(ref.current);
  });
  return (
    <div className={`table-wrap${scroll ? ' scroll-y' : ''}`}>
      <table ref={ref} className={`table${stale ? ' stale' : ''}`} aria-busy={stale}>
        <thead>
          {head ?? (
            <tr>
              <HeaderCells columns={columns} />
            </tr>
          )}
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
