import { PLUGIN_TABLES, type PluginTable, type PluginTableRepositories } from '../../postgress/repositories/pluginTables';
import { JwksCreateInputSchema, JwksSchema, JwksUpdateInputSchema } from '../../models';
import { InMemoryRepository } from './InMemoryRepository';

type Row = Record<string, unknown>;

/** A full row as Postgres returns it: every column of the row schema, null unless given, `createdAt` now. */
function builder(table: Pick<PluginTable, 'row'>): (input: Row) => Row {
  const columns = Object.keys(table.row.shape);
  return (input) => {
    const row: Row = Object.fromEntries(columns.map((column) => [column, null]));
    if ('createdAt' in row) row['createdAt'] = new Date();
    for (const [column, value] of Object.entries(input)) if (value !== undefined) row[column] = value;
    return row;
  };
}

/** The in-memory twin of one plugin table (same Zod schemas and unique fields as the Prisma side). */
export function mockPluginTable(name: string, table: Omit<PluginTable, 'model'>): InMemoryRepository<Row> {
  return new InMemoryRepository<Row>({ name, build: builder(table), createSchema: table.createSchema, updateSchema: table.updateSchema, uniques: table.uniques });
}

/** In-memory twins of every plugin table (`createPluginTableRepositories`). */
export function createMockPluginTables(): PluginTableRepositories {
  const generic = Object.fromEntries(Object.entries(PLUGIN_TABLES).map(([name, table]) => [name, mockPluginTable(name, table)]));
  const jwks = mockPluginTable('jwks', { row: JwksSchema, createSchema: JwksCreateInputSchema, updateSchema: JwksUpdateInputSchema });
  return { ...generic, jwks } as unknown as PluginTableRepositories;
}

