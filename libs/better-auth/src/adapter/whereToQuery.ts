/**
 * Translates Better-Auth's adapter `where` clauses into the query objects our repositories take
 * (the Prisma filter shape the seed's query options use). Semantics follow Better-Auth's own
 * Prisma adapter: AND-connected conditions all hold, OR-connected ones are alternatives, an
 * empty `in` matches nothing, `ne null` means "is set", `mode: 'insensitive'` folds case.
 */
export type WhereOperator =
  | 'eq'
  | 'ne'
  | 'lt'
  | 'lte'
  | 'gt'
  | 'gte'
  | 'in'
  | 'not_in'
  | 'contains'
  | 'starts_with'
  | 'ends_with';

export interface WhereCondition {
  field: string;
  value: unknown;
  operator?: WhereOperator;
  connector?: 'AND' | 'OR';
  mode?: 'sensitive' | 'insensitive';
}

export type QueryWhere = Record<string, unknown>;

const PRISMA_OPERATOR: Record<Exclude<WhereOperator, 'eq' | 'ne' | 'in' | 'not_in'>, string> = {
  lt: 'lt',
  lte: 'lte',
  gt: 'gt',
  gte: 'gte',
  contains: 'contains',
  starts_with: 'startsWith',
  ends_with: 'endsWith',
};

/** Matches no row: Postgres has no literal `false` filter in Prisma's shape. */
const NOTHING: QueryWhere = { AND: [{ id: { equals: '__never__' } }, { id: { not: '__never__' } }] };

function insensitive(condition: WhereCondition): boolean {
  const { value } = condition;
  return (
    condition.mode === 'insensitive' &&
    (typeof value === 'string' || (Array.isArray(value) && value.every((v) => typeof v === 'string')))
  );
}

export function conditionToQuery(condition: WhereCondition): QueryWhere {
  const { field, value } = condition;
  const operator = condition.operator ?? 'eq';
  const mode = insensitive(condition) ? { mode: 'insensitive' } : {};
  switch (operator) {
    case 'eq':
      return { [field]: value === null ? null : { equals: value, ...mode } };
    case 'ne':
      return { [field]: value === null ? { not: null } : { not: { equals: value }, ...mode } };
    case 'in':
    case 'not_in': {
      const values = (Array.isArray(value) ? value : [value]).filter((v) => v !== null && v !== undefined);
      if (values.length === 0) return operator === 'in' ? NOTHING : {};
      return { [field]: { [operator === 'in' ? 'in' : 'notIn']: values, ...mode } };
    }
    default: {
      const prismaOperator = PRISMA_OPERATOR[operator];
      if (!prismaOperator) throw new TypeError(`unsupported where operator "${String(operator)}"`);
      return { [field]: { [prismaOperator]: value, ...mode } };
    }
  }
}

/** Converts a whole where list; an empty list matches every row. */
export function whereToQuery(where: readonly WhereCondition[] | undefined): QueryWhere {
  if (!where || where.length === 0) return {};
  if (where.length === 1) return conditionToQuery(where[0]);
  const and = where.filter((w) => w.connector !== 'OR').map(conditionToQuery);
  const or = where.filter((w) => w.connector === 'OR').map(conditionToQuery);
  return { ...(and.length ? { AND: and } : {}), ...(or.length ? { OR: or } : {}) };
}
