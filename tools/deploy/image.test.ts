import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { appConfigVariables, appGetRoutes, REPO_ROOT } from './appSources';
import { copySteps, healthcheckCommand, last, readDockerfile } from './dockerfile';

/**
 * The Dockerfile, read as data (no container runtime here): multi-stage, the runtime stage runs the
 * built bundle as a non-root user, its health check asks a route the app serves, nothing secret is
 * baked in, and compose runs this image rather than a checkout. That the runtime stage's files are
 * enough to start the app is imageRuntime.e2e.test.ts.
 */
const read = (path: string) => readFileSync(join(REPO_ROOT, path), 'utf8');
const stages = readDockerfile(REPO_ROOT);
const runtime = stages.at(-1)!;
const build = stages.find((s) => s.name === 'build')!;

/** Names that would carry a secret: never an ENV or ARG of the image (they end up in its history). */
const SECRET_NAME = /SECRET|PASSWORD|PASSWD|TOKEN|_KEY$|KEYS$|CREDENTIAL|PRIVATE/;

/** The build target's bundle (`--outfile=` in apps/auth-service/project.json). */
const bundle = /--outfile=(\S+)/.exec(read('apps/auth-service/project.json'))![1];

describe('Dockerfile', () => {
  it('is multi-stage: built on node:24-bookworm-slim with dev dependencies, a slim runtime with production dependencies only', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(build.image).toBe('node:24-bookworm-slim');
    const buildRuns = build.instructions.filter((i) => i.keyword === 'RUN').map((i) => i.raw);
    expect(buildRuns.some((run) => /^npm ci\b/.test(run) && !run.includes('--omit=dev'))).toBe(true);
    expect(buildRuns.at(-1)).toMatch(/^npx nx run auth-service:build\b/);
    expect(runtime.image).toMatch(/-slim$/);
    for (const stage of stages) expect({ stage: stage.name, image: stage.image }).toEqual({ stage: stage.name, image: expect.stringMatching(/^[\w./-]+:[\w.-]+$/) });
    // Production node_modules come from a stage that installed them with --omit=dev.
    const modules = copySteps(runtime).find((step) => step.destination.replace(/\/$/, '') === 'node_modules');
    expect(modules?.from).toBeDefined();
    const deps = stages.find((s) => s.name === modules!.from)!;
    expect(deps.instructions.filter((i) => i.keyword === 'RUN').map((i) => i.raw)).toEqual([expect.stringMatching(/^npm ci --omit=dev --ignore-scripts\b/)]);
  });

  it('the runtime stage holds the built app only: no sources, no build context', () => {
    for (const step of copySteps(runtime)) {
      expect({ step, from: step.from }).toEqual({ step, from: expect.any(String) });
      for (const source of step.sources) expect(source).not.toMatch(/\/src(\/|$)|^\.$|^\/app\/?$/);
    }
    const copied = copySteps(runtime).flatMap((step) => step.sources);
    expect(copied).toContain(`/app/${bundle.split('/').slice(0, -1).join('/')}`);
    expect(runtime.instructions.filter((i) => i.keyword === 'RUN')).toEqual([]);
  });

  it('runs as a non-root user', () => {
    const user = last(runtime, 'USER');
    expect(user).toBeDefined();
    expect(user!.raw.split(':')[0]).not.toMatch(/^(root|0)$/);
    // Nothing after USER switches back.
    const afterUser = runtime.instructions.slice(runtime.instructions.indexOf(user!) + 1);
    expect(afterUser.filter((i) => i.keyword === 'USER')).toEqual([]);
  });

  it('CMD runs the built bundle with node; EXPOSE is the PORT it listens on', () => {
    const cmd = last(runtime, 'CMD')!;
    expect(cmd.exec).toBe(true);
    expect(cmd.args[0]).toBe('node');
    expect(cmd.args.at(-1)).toBe(bundle);
    expect(last(runtime, 'ENTRYPOINT')).toBeUndefined();
    expect(last(runtime, 'EXPOSE')!.args).toEqual([runtime.env.PORT]);
    expect(runtime.env.NODE_ENV).toBe('production');
  });

  it('HEALTHCHECK asks the liveness route the app serves, on its PORT', () => {
    const command = healthcheckCommand(runtime);
    expect(command?.[0]).toBe('node');
    const url = /'(http:\/\/127\.0\.0\.1:)'\+\(process\.env\.PORT\|\|(\d+)\)\+'(\/[\w/-]+)'/.exec(command!.join(' '));
    expect(url).not.toBeNull();
    const [, , fallbackPort, path] = url!;
    expect(fallbackPort).toBe(runtime.env.PORT);
    expect(path).toBe('/health/live');
    expect(appGetRoutes().get(path)).toBe('apps/auth-service/src/features/health/healthRoutes.ts');
  });

  it('no ENV or ARG carries a secret; every ENV of the runtime stage is a variable the app reads', () => {
    for (const stage of stages) {
      const names = [...Object.keys(stage.env), ...stage.instructions.filter((i) => i.keyword === 'ARG').map((i) => i.raw.split('=')[0])];
      for (const name of names) expect({ stage: stage.name, name, secret: SECRET_NAME.test(name) }).toEqual({ stage: stage.name, name, secret: false });
    }
    const known = appConfigVariables();
    for (const name of Object.keys(runtime.env)) expect({ name, known: known.has(name) }).toEqual({ name, known: true });
  });

  it('documents the migrate command, which is CMD + `migrate` (main.js migrate)', () => {
    const cmd = last(runtime, 'CMD')!.args;
    const migrate = /^#\s+migrate:\s+docker run .* auth-service (node .*)$/m.exec(read('Dockerfile'));
    expect(migrate?.[1]).toBe(`node ${bundle} migrate`);
    expect(cmd.filter((arg) => !arg.startsWith('--'))).toEqual(['node', bundle]);
  });

  it('.dockerignore keeps installed, built, local and secret files out of the build context', () => {
    const ignored = new Set(read('.dockerignore').split('\n').map((line) => line.trim()).filter((line) => line && !line.startsWith('#')));
    for (const entry of ['node_modules', 'dist', '.data', '.env', '.git', 'tmp', 'coverage', '*.log', 'bench/results']) expect({ entry, ignored: ignored.has(entry) }).toEqual({ entry, ignored: true });
    // The example is documentation, kept in.
    expect(ignored.has('!.env.example')).toBe(true);
  });
});

describe('docker-compose.yml runs the image', () => {
  const services = (parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, { build?: unknown; image?: string; volumes?: string[]; command?: string[] }> }).services;
  const appServices = Object.entries(services).filter(([name]) => /^auth-service-\d+$/.test(name) || name === 'migrate');

  it('every app service (and the one-shot migrate) is built from the Dockerfile under one tag, with no checkout mounted and nothing installed at start', () => {
    expect(appServices.length).toBe(4);
    const image = services.migrate.image;
    expect(image).toMatch(/^[\w./-]+:[\w.-]+$/);
    for (const [name, service] of appServices) {
      expect({ name, build: service.build, image: service.image }).toEqual({ name, build: '.', image });
      expect({ name, volumes: service.volumes }).toEqual({ name, volumes: undefined });
      expect(JSON.stringify(service.command ?? [])).not.toMatch(/npm (ci|install)|nx /);
    }
    expect(existsSync(join(REPO_ROOT, 'Dockerfile'))).toBe(true);
  });

  it('instances run the image CMD; migrate runs its migrate command', () => {
    for (const [name, service] of appServices) if (name !== 'migrate') expect({ name, command: service.command }).toEqual({ name, command: undefined });
    expect(services.migrate.command).toEqual(['node', bundle, 'migrate']);
  });
});
