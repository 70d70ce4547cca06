import { isUtilityStatement, summarizeStatements } from './statementSummary';

describe('summarizeStatements', () => {
  const rows = [
    { query: 'SELECT "public"."UserSession"."id" FROM "public"."UserSession" WHERE token = $1', calls: 200 },
    { query: 'SELECT "public"."User"."id" FROM "public"."User" WHERE id = $1', calls: 200 },
    { query: 'BEGIN', calls: 10 },
    { query: 'COMMIT', calls: 10 },
    { query: 'SET statement_timeout = 1000', calls: 3 },
    { query: 'UPDATE "public"."UserSession" SET "updatedAt" = $1 WHERE id = $2', calls: 10 },
  ];

  it('counts data statements and transactions per request, not transaction control', () => {
    const summary = summarizeStatements(rows, 100);
    expect(summary.queriesPerRequest).toBe(4.1);
    expect(summary.transactionsPerRequest).toBe(0.1);
  });

  it('lists the most called data statements, shortened', () => {
    const summary = summarizeStatements(rows, 100);
    expect(summary.top.map((t) => t.callsPerRequest)).toEqual([2, 2, 0.1]);
    expect(summary.top.every((t) => !/^(BEGIN|COMMIT|SET)/.test(t.query))).toBe(true);
    const long = summarizeStatements([{ query: `SELECT ${'x, '.repeat(200)}1`, calls: 1 }], 1);
    expect(long.top[0].query.length).toBeLessThanOrEqual(141);
  });

  it('gives nulls, not infinities, for zero requests', () => {
    expect(summarizeStatements(rows, 0)).toEqual({ queriesPerRequest: null, transactionsPerRequest: null, top: [] });
  });
});

describe('isUtilityStatement', () => {
  it.each(['BEGIN', 'begin isolation level serializable', 'COMMIT', 'ROLLBACK', 'SAVEPOINT a', 'DEALLOCATE ALL', 'SET x = 1'])('%s is utility', (sql) => {
    expect(isUtilityStatement(sql)).toBe(true);
  });

  it.each(['SELECT 1', 'WITH a AS (SELECT 1) SELECT * FROM a', 'INSERT INTO t VALUES ($1)', 'select "settings" from t'])('%s is a query', (sql) => {
    expect(isUtilityStatement(sql)).toBe(false);
  });
});
