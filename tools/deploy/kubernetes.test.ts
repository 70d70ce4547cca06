import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { appConfigVariables, appGetRoutes, REPO_ROOT } from './appSources';

/**
 * deploy/kubernetes/, checked without a cluster: every variable the manifests set is one the
 * app's configuration schema knows (the same field sources `.env.example` is generated from,
 * apps/auth-service/src/cli/envExample.ts), the probes hit routes the app serves on the port it
 * listens on, the shutdown timings fit inside the grace period, and the Secret holds placeholders.
 */
const dir = join(REPO_ROOT, 'deploy', 'kubernetes');
const read = (path: string) => readFileSync(join(REPO_ROOT, path), 'utf8');

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  [key: string]: unknown;
}
interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string }; configMapKeyRef?: { name: string; key: string }; fieldRef?: { fieldPath: string } };
}
interface Probe {
  httpGet: { path: string; port: string | number };
}
interface Container {
  name: string;
  image: string;
  command?: string[];
  ports?: Array<{ name?: string; containerPort: number }>;
  env?: EnvVar[];
  envFrom?: Array<{ configMapRef?: { name: string }; secretRef?: { name: string } }>;
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  lifecycle?: { preStop?: { exec?: { command: string[] }; sleep?: { seconds: number } } };
  securityContext?: { allowPrivilegeEscalation?: boolean; readOnlyRootFilesystem?: boolean; capabilities?: { drop?: string[] } };
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
}
interface PodSpec {
  containers: Container[];
  terminationGracePeriodSeconds?: number;
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number };
}

const files = readdirSync(dir).filter((name) => name.endsWith('.yaml'));
const manifests: Manifest[] = files.flatMap((file) =>
  parseAllDocuments(readFileSync(join(dir, file), 'utf8')).map((doc) => {
    if (doc.errors.length) throw new Error(`${file}: ${doc.errors.map((e) => e.message).join('; ')}`);
    return doc.toJSON() as Manifest;
  }),
);
const one = <T extends Manifest>(kind: string): T => {
  const found = manifests.filter((m) => m.kind === kind);
  if (found.length !== 1) throw new Error(`expected one ${kind}, found ${found.length}`);
  return found[0] as T;
};
const configMap = one<Manifest & { data: Record<string, string> }>('ConfigMap');
const secret = one<Manifest & { data?: unknown; stringData: Record<string, string> }>('Secret');
const deployment = one<Manifest & { spec: { selector: { matchLabels: Record<string, string> }; template: { metadata: { labels: Record<string, string> }; spec: PodSpec } } }>('Deployment');
const job = one<Manifest & { spec: { template: { spec: PodSpec & { restartPolicy: string } } } }>('Job');
const service = one<Manifest & { spec: { selector: Record<string, string>; ports: Array<{ targetPort: string | number }> } }>('Service');
const pod = deployment.spec.template.spec;
const [app] = pod.containers;
const [migrate] = job.spec.template.spec.containers;

/** Every variable a container gets: its own `env` and every key of the ConfigMap / Secret it loads. */
function variablesOf(container: Container): string[] {
  const fromRefs = (container.envFrom ?? []).flatMap((ref) => {
    if (ref.configMapRef) return ref.configMapRef.name === configMap.metadata.name ? Object.keys(configMap.data) : [`<unknown ConfigMap ${ref.configMapRef.name}>`];
    if (ref.secretRef) return ref.secretRef.name === secret.metadata.name ? Object.keys(secret.stringData) : [`<unknown Secret ${ref.secretRef.name}>`];
    return [];
  });
  return [...fromRefs, ...(container.env ?? []).map((v) => v.name)];
}

describe('deploy/kubernetes: the manifests parse and hold what the app needs', () => {
  it('has one ConfigMap, Secret, Deployment, Service and migration Job', () => {
    expect(manifests.map((m) => m.kind).sort()).toEqual(['ConfigMap', 'Deployment', 'Job', 'Secret', 'Service']);
  });

  it('every variable set is known to the configuration schema and written in .env.example (an unknown name fails)', () => {
    const known = appConfigVariables();
    const documented = new Set([...read('.env.example').matchAll(/^(?:# )?([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]));
    expect(known.has('SMTP_URL') && known.has('SHUTDOWN_DRAIN_DELAY_MS')).toBe(true);
    for (const [container, variables] of [
      ['auth-service', variablesOf(app)],
      ['migrate', variablesOf(migrate)],
      ['Secret', Object.keys(secret.stringData)],
      ['ConfigMap', Object.keys(configMap.data)],
    ] as const) {
      for (const variable of variables) expect({ container, variable, known: known.has(variable), documented: documented.has(variable) }).toEqual({ container, variable, known: true, documented: true });
    }
    // Secret references name keys the Secret has.
    for (const v of [...(app.env ?? []), ...(migrate.env ?? [])]) {
      const ref = v.valueFrom?.secretKeyRef;
      if (ref) expect({ ref, present: ref.name === secret.metadata.name && ref.key in secret.stringData }).toEqual({ ref, present: true });
    }
  });

  it('production, listening on every interface on the port the container, the probes and the Service use', () => {
    expect(configMap.data.NODE_ENV).toBe('production');
    expect(configMap.data.HOST).toBe('0.0.0.0');
    const port = app.ports!.find((p) => p.name === 'http')!;
    expect(String(port.containerPort)).toBe(configMap.data.PORT);
    expect(read('Dockerfile')).toMatch(new RegExp(`^EXPOSE ${port.containerPort}$`, 'm'));
    for (const probe of [app.readinessProbe!, app.livenessProbe!]) expect([port.name, port.containerPort]).toContain(probe.httpGet.port);
    expect([port.name, port.containerPort]).toContain(service.spec.ports[0].targetPort);
    expect(deployment.spec.template.metadata.labels).toMatchObject(service.spec.selector);
    expect(deployment.spec.template.metadata.labels).toMatchObject(deployment.spec.selector.matchLabels);
  });

  it('readiness is /health/ready and liveness /health/live, both routes the app registers', () => {
    const routes = appGetRoutes();
    expect(app.readinessProbe!.httpGet.path).toBe('/health/ready');
    expect(app.livenessProbe!.httpGet.path).toBe('/health/live');
    for (const path of [app.readinessProbe!.httpGet.path, app.livenessProbe!.httpGet.path]) expect({ path, registered: routes.has(path) }).toEqual({ path, registered: true });
  });

  it('preStop sleeps the drain delay; the grace period covers it and the whole shutdown deadline', () => {
    const drainMs = Number(configMap.data.SHUTDOWN_DRAIN_DELAY_MS);
    const deadlineMs = Number(configMap.data.SHUTDOWN_DEADLINE_MS);
    expect(drainMs).toBeGreaterThan(0);
    const preStop = app.lifecycle!.preStop!;
    const sleepS = preStop.sleep?.seconds ?? Number(preStop.exec!.command[1]);
    if (!preStop.sleep) expect(preStop.exec!.command).toEqual(['sleep', String(sleepS)]);
    expect(sleepS * 1_000).toBe(drainMs);
    expect(pod.terminationGracePeriodSeconds! * 1_000).toBeGreaterThanOrEqual(drainMs + deadlineMs);
    expect(deadlineMs).toBeGreaterThan(drainMs); // the deadline includes the app's own delay
  });

  it('runs as the image user, non-root, read-only root, no privilege escalation, no capabilities, with resources', () => {
    expect(read('Dockerfile')).toMatch(/^USER node$/m); // uid 1000 in the node images
    for (const spec of [pod, job.spec.template.spec]) {
      expect(spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
      for (const container of spec.containers) {
        expect(container.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
        expect(container.resources?.requests).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
        expect(container.resources?.limits?.memory).toEqual(expect.any(String));
      }
    }
  });

  it('the Job runs the image\'s migrate command, the one compose runs, with DATABASE_URL only', () => {
    const compose = parse(read('docker-compose.yml'), { merge: true }) as { services: { migrate: { command: string[] } } };
    expect(migrate.command).toEqual(compose.services.migrate.command);
    expect(migrate.command).toEqual(['node', 'dist/apps/auth-service/main.js', 'migrate']);
    expect(read('Dockerfile')).toMatch(/^CMD \["node", "--enable-source-maps", "dist\/apps\/auth-service\/main\.js"\]$/m);
    expect(read('apps/auth-service/src/cli/mainArgs.ts')).toMatch(/command: 'serve' \| 'migrate'/);
    expect(migrate.image).toBe(app.image);
    expect(migrate.env?.map((v) => v.name)).toEqual(['DATABASE_URL']);
    expect(migrate.envFrom).toBeUndefined();
    expect(job.spec.template.spec.restartPolicy).toBe('Never');
  });

  it('the Secret is a template: placeholders only, no encoded data, the generate commands beside it', () => {
    expect(secret.data).toBeUndefined();
    for (const [key, value] of Object.entries(secret.stringData)) {
      expect({ key, placeholder: value.includes('CHANGE_ME') }).toEqual({ key, placeholder: true });
      // A URL keeps its shape with a placeholder password (so the template reads as an example).
      if (value.includes('://')) expect({ key, password: decodeURIComponent(new URL(value).password) }).toEqual({ key, password: 'CHANGE_ME' });
    }
    const template = readFileSync(join(dir, 'secret.template.yaml'), 'utf8');
    const generators = new Map([...read('apps/auth-service/src/secretsPolicy.ts').matchAll(/^\s+([A-Z][A-Z0-9_]+): '([^']*openssl rand[^']*)',$/gm)].map((m) => [m[1], m[2]]));
    for (const name of ['BETTER_AUTH_SECRET', 'OIDC_CLIENT_SECRET', 'UPSTREAM_TOKEN_KEY']) {
      expect({ name, command: generators.get(name) }).toEqual({ name, command: expect.stringContaining('openssl rand') });
      expect({ name, documented: template.includes(generators.get(name)!) }).toEqual({ name, documented: true });
    }
    // Secrets live in the Secret, never in the ConfigMap.
    for (const name of Object.keys(configMap.data)) expect(name).not.toMatch(/SECRET|PASSWORD|TOKEN_KEY|^(DATABASE|REDIS|SMTP)_URL$/);
  });
});
