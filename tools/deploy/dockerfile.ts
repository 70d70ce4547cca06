import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One Dockerfile instruction: `COPY --from=build /app/dist dist` → keyword COPY, flags {from: build}, args [/app/dist, dist]. */
export interface Instruction {
  keyword: string;
  /** `--name=value` flags before the arguments (COPY --from, HEALTHCHECK --interval …). */
  flags: Record<string, string>;
  /** Exec form (`["node", "main.js"]`) or the shell form split on whitespace. */
  args: string[];
  /** Exec form was used. */
  exec: boolean;
  /** The text after the keyword and flags, as written. */
  raw: string;
}

export interface Stage {
  name: string;
  image: string;
  instructions: Instruction[];
  /** The last WORKDIR (absolute), `/` when none. */
  workdir: string;
  /** ENV of this stage, in order (`ENV A=1 B=2`). */
  env: Record<string, string>;
}

/** The Dockerfile at the repository root, parsed: stages in order (FROM … AS name). */
export function readDockerfile(root: string): Stage[] {
  return parseDockerfile(readFileSync(join(root, 'Dockerfile'), 'utf8'));
}

/** Joins `\` continuations, drops comments and blank lines. */
function logicalLines(text: string): string[] {
  const lines: string[] = [];
  let current = '';
  for (const line of text.split('\n')) {
    if (!current && /^\s*(#|$)/.test(line)) continue;
    if (/\\\s*$/.test(line)) {
      current += line.replace(/\\\s*$/, ' ');
      continue;
    }
    lines.push((current + line).trim());
    current = '';
  }
  if (current.trim()) lines.push(current.trim());
  return lines;
}

function parseInstruction(line: string): Instruction {
  const match = /^(\w+)\s*(.*)$/.exec(line);
  if (!match) throw new Error(`not a Dockerfile instruction: ${line}`);
  const keyword = match[1].toUpperCase();
  let rest = match[2];
  const flags: Record<string, string> = {};
  // HEALTHCHECK's flags come before CMD; COPY/ADD/RUN/FROM flags before their arguments.
  for (let flag = /^--([\w-]+)(?:=(\S+))?\s*/.exec(rest); flag; flag = /^--([\w-]+)(?:=(\S+))?\s*/.exec(rest)) {
    flags[flag[1]] = flag[2] ?? 'true';
    rest = rest.slice(flag[0].length);
  }
  const raw = rest.trim();
  if (raw.startsWith('[')) {
    const args = JSON.parse(raw) as unknown;
    if (Array.isArray(args) && args.every((a) => typeof a === 'string')) return { keyword, flags, args, exec: true, raw };
  }
  return { keyword, flags, args: raw.split(/\s+/).filter(Boolean), exec: false, raw };
}

/** `ENV A=1 B="two words"` (and the legacy `ENV A 1`). */
function parseEnv(raw: string): Record<string, string> {
  const env: Record<string, string> = {};
  if (!raw.includes('=')) {
    const [name, ...value] = raw.split(/\s+/);
    env[name] = value.join(' ');
    return env;
  }
  for (const pair of raw.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("(?:[^"\\]|\\.)*"|\S*)/g)) env[pair[1]] = pair[2].startsWith('"') ? (JSON.parse(pair[2]) as string) : pair[2];
  return env;
}

export function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  for (const line of logicalLines(text)) {
    const instruction = parseInstruction(line);
    if (instruction.keyword === 'FROM') {
      const [image, as, name] = instruction.args;
      stages.push({ name: as?.toUpperCase() === 'AS' ? name : String(stages.length), image, instructions: [], workdir: '/', env: {} });
      continue;
    }
    const stage = stages.at(-1);
    if (!stage) {
      if (instruction.keyword === 'ARG') continue;
      throw new Error(`${instruction.keyword} before the first FROM`);
    }
    stage.instructions.push(instruction);
    if (instruction.keyword === 'WORKDIR') stage.workdir = instruction.raw.startsWith('/') ? instruction.raw : join(stage.workdir, instruction.raw);
    if (instruction.keyword === 'ENV') Object.assign(stage.env, parseEnv(instruction.raw));
  }
  return stages;
}

/** The last instruction of a keyword in a stage (CMD, USER, HEALTHCHECK: the last one counts). */
export const last = (stage: Stage, keyword: string): Instruction | undefined => stage.instructions.filter((i) => i.keyword === keyword).at(-1);

/** `HEALTHCHECK [flags] CMD …`: the command's arguments (exec form), or undefined for NONE / none. */
export function healthcheckCommand(stage: Stage): string[] | undefined {
  const instruction = last(stage, 'HEALTHCHECK');
  if (!instruction || /^NONE$/i.test(instruction.raw)) return undefined;
  const command = instruction.raw.replace(/^CMD\s+/i, '');
  return command.startsWith('[') ? (JSON.parse(command) as string[]) : ['/bin/sh', '-c', command];
}

/** A COPY of the stage: sources (absolute in another stage, or relative to the build context) and destination. */
export interface CopyStep {
  /** The stage copied from; undefined = the build context (the repository). */
  from?: string;
  sources: string[];
  destination: string;
}

export function copySteps(stage: Stage): CopyStep[] {
  return stage.instructions
    .filter((i) => i.keyword === 'COPY')
    .map((i) => ({ from: i.flags.from, sources: i.args.slice(0, -1), destination: i.args.at(-1)! }));
}
