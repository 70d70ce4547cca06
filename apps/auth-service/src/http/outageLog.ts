import type { FastifyBaseLogger, FastifyInstance } from 'fastify';

interface Outage {
  since: number;
  answered503: number;
  routes: Map<string, number>;
}

/**
 * One log line when the service starts answering 503 (a dependency is out) and one when it
 * serves again, with how many 503s were answered in between and on which routes; the 503s
 * themselves are logged at debug (errorHandler). The outage is over at the first answer below
 * 500 while no circuit breaker is open (half-open ones are letting trials through). Breaker openings and closings are logged by the
 * breakers themselves.
 */
export class OutageLog {
  readonly #logger: FastifyBaseLogger;
  readonly #openBreakers: () => string[];
  #outage: Outage | undefined;

  constructor(logger: FastifyBaseLogger, openBreakers: () => string[]) {
    this.#logger = logger;
    this.#openBreakers = openBreakers;
  }

  get active(): boolean {
    return this.#outage !== undefined;
  }

  /** One answer of the service (health probes excluded). */
  answered(status: number, route: string): void {
    if (status === 503) {
      if (this.#outage === undefined) {
        this.#outage = { since: performance.now(), answered503: 0, routes: new Map() };
        this.#logger.warn({ route, openBreakers: this.#openBreakers() }, 'dependency outage: answering 503');
      }
      this.#outage.answered503++;
      if (this.#outage.routes.size < 50 || this.#outage.routes.has(route)) this.#outage.routes.set(route, (this.#outage.routes.get(route) ?? 0) + 1);
      return;
    }
    if (this.#outage === undefined || status >= 500 || this.#openBreakers().length > 0) return;
    const { since, answered503, routes } = this.#outage;
    this.#outage = undefined;
    this.#logger.info({ durationMs: Math.round(performance.now() - since), answered503, routes: Object.fromEntries(routes) }, 'dependency outage over');
  }
}

/** Feeds every answer but the health probes' to `outageLog`. */
export function registerOutageLog(app: FastifyInstance, outageLog: OutageLog): void {
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    if (!route.startsWith('/health/')) outageLog.answered(reply.statusCode, route);
  });
}
