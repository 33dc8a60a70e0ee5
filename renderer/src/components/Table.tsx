import type { ReactNode } from 'react';

/** A column's header: its label, and whether its figures are right-aligned. A string is a left-aligned label. */
export type Column = string | { label: ReactNode; right?: boolean };

/** A right-aligned column, for amounts and counts. */
export const right = (label: ReactNode): Column => ({ label, right: true });

/** The column of row buttons: named for screen readers only. */
export const ACTIONS: Column = { label: <span className="sr-only">Actions</span> };

/** One `th` per column, for a header row of its own or a table's second header row. */
export function HeaderCells({ columns }: { columns: readonly Column[] }) {
  return (
    <>
      {columns.map((c, i) => (
        <th key={i} scope="col" className={typeof c !== 'string' && c.right ? 'right' : undefined}>
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
  return (
    <div className={`table-wrap${scroll ? ' scroll-y' : ''}`}>
      <table className={`table${stale ? ' stale' : ''}`} aria-busy={stale}>
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
