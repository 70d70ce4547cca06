type Row = Record<string, unknown>;

const OPERATORS = new Set(['equals', 'in', 'notIn', 'not', 'lt', 'lte', 'gt', 'gte', 'contains', 'startsWith', 'endsWith', 'has', 'hasSome', 'mode']);

function comparable(v: unknown): unknown {
  return v instanceof Date ? v.getTime() : v;
}

function matchField(value: unknown, filter: unknown): boolean {
  if (filter === null || typeof filter !== 'object' || filter instanceof Date || Array.isArray(filter)) {
    return comparable(value) === comparable(filter) || (filter === null && value === undefined);
  }
  const ops = filter as Row;
  if (!Object.keys(ops).every((k) => OPERATORS.has(k))) {
    throw new Error(`in-memory repository: unsupported filter ${JSON.stringify(Object.keys(ops))} (relation filters are not emulated)`);
  }
  const v = comparable(value) as number | string;
  const insensitive = ops['mode'] === 'insensitive';
  const text = (s: unknown) => (insensitive ? String(s).toLowerCase() : String(s));
  for (const [op, arg] of Object.entries(ops)) {
    const a = comparable(arg) as number | string;
    const ok =
      op === 'mode' ||
      (op === 'equals' && matchField(value, arg)) ||
      (op === 'in' && (arg as unknown[]).some((x) => comparable(x) === v)) ||
      (op === 'notIn' && !(arg as unknown[]).some((x) => comparable(x) === v)) ||
      (op === 'not' && !matchField(value, arg)) ||
      (op === 'lt' && value != null && v < a) ||
      (op === 'lte' && value != null && v <= a) ||
      (op === 'gt' && value != null && v > a) ||
      (op === 'gte' && value != null && v >= a) ||
      (op === 'contains' && typeof value === 'string' && text(value).includes(text(arg))) ||
      (op === 'startsWith' && typeof value === 'string' && text(value).startsWith(text(arg))) ||
      (op === 'endsWith' && typeof value === 'string' && text(value).endsWith(text(arg))) ||
      (op === 'has' && Array.isArray(value) && value.includes(arg)) ||
      (op === 'hasSome' && Array.isArray(value) && (arg as unknown[]).some((x) => value.includes(x)));
    if (!ok) return false;
  }
  return true;
}

/** Prisma-style `where` on a plain row: fields, AND / OR / NOT and the common scalar operators. */
export function matchWhere(row: Row, where: Row | undefined): boolean {
  if (!where) return true;
  for (const [key, filter] of Object.entries(where)) {
    if (filter === undefined) continue;
    if (key === 'AND') {
      if (!(Array.isArray(filter) ? filter : [filter]).every((w) => matchWhere(row, w as Row))) return false;
    } else if (key === 'OR') {
      if (!(filter as Row[]).some((w) => matchWhere(row, w))) return false;
    } else if (key === 'NOT') {
      if ((Array.isArray(filter) ? filter : [filter]).some((w) => matchWhere(row, w as Row))) return false;
    } else if (!matchField(row[key], filter)) {
      return false;
    }
  }
  return true;
}

/** Prisma-style `orderBy` (object or array of objects). */
export function compareBy(orderBy: Row | Row[] | undefined): (a: Row, b: Row) => number {
  const keys = (Array.isArray(orderBy) ? orderBy : orderBy ? [orderBy] : []).flatMap((o) => Object.entries(o));
  return (a, b) => {
    for (const [key, direction] of keys) {
      const x = comparable(a[key]) as number | string;
      const y = comparable(b[key]) as number | string;
      if (x === y) continue;
      const order = x == null ? -1 : y == null ? 1 : x < y ? -1 : 1;
      return direction === 'desc' ? -order : order;
    }
    return 0;
  };
}

/** Prisma-style `select` (top-level fields only). */
export function applySelect(row: Row, select: Row | undefined): Row {
  if (!select) return row;
  return Object.fromEntries(Object.entries(select).filter(([, on]) => on).map(([key]) => [key, row[key]]));
}
