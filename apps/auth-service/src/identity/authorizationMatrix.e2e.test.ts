import { startAppsWithIdp, type OidcApps } from '../testing/oidcApps';
import {
  ambiguousCells,
  betterAuthEndpoints,
  headRows,
  MATRIX_ROWS,
  mismatch,
  PRINCIPALS,
  RouteRecorder,
  routeInventory,
  seedWorld,
  send,
  tableMismatches,
  TARGET_RANK,
  type InventoryEntry,
  type MatrixRow,
  type MatrixWorld,
} from '../testing/authorizationMatrix';

/**
 * Every registered route × every kind of caller, against the expectation table in
 * src/testing/authorizationMatrix (docs/authorization-matrix.md). The app runs with the upstream
 * IdP configured, so the back-channel logout route and the OIDC endpoints are registered too.
 */
describe('authorization matrix (one app, real Postgres, the harness IdP)', () => {
  const recorder = new RouteRecorder();
  let oidc: OidcApps;
  let world: MatrixWorld;
  let inventory: InventoryEntry[];

  beforeAll(async () => {
    oidc = await startAppsWithIdp({ onRoute: recorder.record });
    const app = oidc.apps[0];
    const auth = app.context.auth;
    const basePath = auth.options.basePath ?? '/api/auth';
    inventory = routeInventory(recorder.routes, betterAuthEndpoints(auth.api as Record<string, unknown>, basePath, (auth.options as { disabledPaths?: string[] }).disabledPaths ?? []), basePath);
    world = await seedWorld(app);
  });
  afterAll(async () => {
    await oidc?.close();
  });

  it('has a row for every registered route, and no row for a route that is not registered', () => {
    expect(inventory.length).toBeGreaterThan(60);
    expect(tableMismatches(inventory, MATRIX_ROWS.map((r) => r.route))).toEqual([]);
  });

  it('never accepts both an allowed and a refused answer in one cell', () => {
    expect(ambiguousCells(MATRIX_ROWS)).toEqual([]);
  });

  async function runRow(row: MatrixRow): Promise<string[]> {
    const problems: string[] = [];
    for (const principal of PRINCIPALS) {
      const actor = world.actors[principal];
      const rank = TARGET_RANK[principal];
      const cell = { principal, actor, world, target: (options?: Parameters<MatrixWorld['target']>[1]) => world.target(rank, options), roleTarget: () => world.roleTarget(rank) };
      const spec = (await row.request?.(cell)) ?? {};
      const headers = row.endsOwnSessions ? (await actor.fresh()).headers : actor.headers;
      const answer = await send(oidc.apps[0].url, row, spec, headers);
      const wrong = mismatch(row.expect[principal], answer);
      if (wrong) problems.push(`${row.route} × ${principal}: ${wrong}`);
    }
    return problems;
  }

  // Rows that end the caller's own sessions run last, each with a fresh sign-in.
  const rows = (endsOwnSessions: boolean) => MATRIX_ROWS.filter((r) => Boolean(r.endsOwnSessions) === endsOwnSessions).map((row) => [row.route, row] as const);

  it.each(rows(false))('%s', async (_route, row) => {
    expect(await runRow(row)).toEqual([]);
  });

  it('HEAD twins of GET routes answer like the GET (Fastify) or 404 (Better-Auth has no HEAD)', async () => {
    const problems: string[] = [];
    for (const row of headRows(inventory, MATRIX_ROWS)) problems.push(...(await runRow(row)));
    expect(problems).toEqual([]);
  });

  it.each(rows(true))('%s (ends the caller\'s own sessions)', async (_route, row) => {
    expect(await runRow(row)).toEqual([]);
  });
});
