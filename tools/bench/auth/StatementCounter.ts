import { Client } from 'pg';
import { summarizeStatements, type StatementRow, type StatementSummary } from './statementSummary';

/**
 * Reads pg_stat_statements for one database through a connection to another (`postgres`), so
 * the counting itself is never counted.
 */
export class StatementCounter {
  readonly #client: Client;
  readonly #database: string;

  private constructor(client: Client, database: string) {
    this.#client = client;
    this.#database = database;
  }

  /** `adminUrl` must point at a database other than `database` (e.g. `postgres`). */
  static async connect(adminUrl: string, database: string): Promise<StatementCounter> {
    const client = new Client({ connectionString: adminUrl });
    client.on('error', () => undefined);
    await client.connect();
    return new StatementCounter(client, database);
  }

  /** Forgets every statement counted so far (all databases: the benchmark owns this server). */
  async reset(): Promise<void> {
    await this.#client.query('SELECT pg_stat_statements_reset()');
  }

  /** What ran in the database since the last reset, per request. */
  async read(requests: number): Promise<StatementSummary> {
    return summarizeStatements(await this.rows(), requests);
  }

  /** Every statement (normalised text) and its calls since the last reset. */
  async rows(): Promise<StatementRow[]> {
    const { rows } = await this.#client.query<{ query: string; calls: string }>(
      `SELECT s.query, s.calls FROM pg_stat_statements s
         JOIN pg_database d ON d.oid = s.dbid
        WHERE d.datname = $1`,
      [this.#database],
    );
    return rows.map((r) => ({ query: r.query, calls: Number(r.calls) }));
  }

  /** Calls of every statement in the database since the last reset (to tell when it goes quiet). */
  async totalCalls(): Promise<number> {
    const { rows } = await this.#client.query<{ calls: string | null }>(
      `SELECT sum(s.calls) AS calls FROM pg_stat_statements s
         JOIN pg_database d ON d.oid = s.dbid
        WHERE d.datname = $1`,
      [this.#database],
    );
    return Number(rows[0]?.calls ?? 0);
  }

  async close(): Promise<void> {
    await this.#client.end().catch(() => undefined);
  }
}
