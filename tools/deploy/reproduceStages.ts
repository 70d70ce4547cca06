import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync } from 'node:fs';
import { basename, dirname, join, posix, relative } from 'node:path';
import type { Stage } from './dockerfile';

export interface ReproduceOptions {
  /** The build context, and what the `build` stage's /app is after `npm ci` + the build: the repository. */
  root: string;
  /** Each other stage gets `<workDir>/<stage name>` as its WORKDIR. */
  workDir: string;
  /** Added to `npm ci` (e.g. `--prefer-offline`: the packages the repository's own install cached). */
  npmCiExtraArgs?: string[];
  /** @default 600_000 */
  npmTimeoutMs?: number;
}

/** A stage's WORKDIR on this machine. */
export type StageDirs = Map<string, string>;

/**
 * Rebuilds the file tree of every stage after `build` on this machine, from the Dockerfile's own
 * instructions: COPY lines copy exactly what they name (from the build context, or from an earlier
 * stage's tree), `npm ci …` RUN lines run in the stage's tree; any other instruction that would
 * change files fails, so a new step cannot slip past. The `build` stage is the repository itself
 * after its `npm ci` and `nx run auth-service:build` (the caller builds).
 */
export function reproduceStages(stages: Stage[], options: ReproduceOptions): StageDirs {
  const dirs: StageDirs = new Map([['build', options.root]]);
  const workdirs = new Map(stages.map((stage) => [stage.name, stage.workdir]));
  for (const stage of stages) {
    if (stage.name === 'build') continue;
    const dir = join(options.workDir, stage.name);
    mkdirSync(dir, { recursive: true });
    dirs.set(stage.name, dir);
    for (const instruction of stage.instructions) {
      switch (instruction.keyword) {
        case 'COPY': {
          const from = instruction.flags.from;
          const sourceDir = from === undefined ? options.root : dirs.get(from);
          if (sourceDir === undefined) throw new Error(`COPY --from=${from}: no such earlier stage`);
          const sourceWorkdir = from === undefined ? '/' : workdirs.get(from)!;
          const paths = instruction.args;
          const destination = paths.at(-1)!;
          for (const source of paths.slice(0, -1)) {
            const inStage = from === undefined ? source : posix.relative(sourceWorkdir, source);
            if (inStage.startsWith('..')) throw new Error(`COPY ${source}: outside the stage's WORKDIR ${sourceWorkdir}`);
            const src = join(sourceDir, inStage);
            if (!existsSync(src)) throw new Error(`COPY ${from ? `--from=${from} ` : ''}${source}: ${relative(options.root, src)} does not exist`);
            const destDir = join(dir, posix.isAbsolute(destination) ? posix.relative(stage.workdir, destination) : destination);
            const dest = destination.endsWith('/') || paths.length > 2 ? join(destDir, basename(src)) : destDir;
            mkdirSync(dirname(dest), { recursive: true });
            // Symbolic links stay links, as COPY keeps them (node_modules/@libs/* → the workspaces).
            cpSync(src, dest, { recursive: true, verbatimSymlinks: true });
          }
          break;
        }
        case 'RUN': {
          const [command, ...args] = instruction.exec ? instruction.args : instruction.raw.split(/\s+/);
          if (command !== 'npm' || args[0] !== 'ci' || /[;&|]/.test(instruction.raw)) throw new Error(`RUN ${instruction.raw}: only a plain \`npm ci …\` is reproduced here`);
          const result = spawnSync('npm', [...args, ...(options.npmCiExtraArgs ?? [])], { cwd: dir, encoding: 'utf8', timeout: options.npmTimeoutMs ?? 600_000, env: { ...process.env, npm_config_update_notifier: 'false' } });
          if (result.status !== 0) throw new Error(`RUN ${instruction.raw} in ${dir} failed (${result.status ?? result.signal}):\n${(result.stderr ?? '').slice(-3_000)}`);
          break;
        }
        case 'WORKDIR':
        case 'ENV':
        case 'USER':
        case 'EXPOSE':
        case 'HEALTHCHECK':
        case 'CMD':
        case 'LABEL':
          break;
        default:
          throw new Error(`${instruction.keyword} ${instruction.raw}: not reproduced on this machine (teach reproduceStages.ts what it does to the files)`);
      }
    }
  }
  return dirs;
}
