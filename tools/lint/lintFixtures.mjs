// One ESLint process for the boundary fixtures (tools/lint/moduleBoundaries.test.ts): reads
// `[{ filePath, code }]` as JSON on stdin, lints each as if it were that file (ESLint's Node API,
// one instance: the flat config, the TypeScript parser and Nx's project graph load once), and
// prints `RESULTS <json>` with the @nx/enforce-module-boundaries messages per fixture. Runs as its
// own process because the flat config is ESM, which Jest's module system cannot load.
import { createProjectGraphAsync } from '@nx/devkit';
import { ESLint } from 'eslint';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const fixtures = JSON.parse(Buffer.concat(chunks).toString('utf8'));

// The rule reads Nx's cached project graph and skips itself (a warning, no error) without one:
// a fresh clone has none until an nx command ran, so compute it first.
await createProjectGraphAsync({ exitOnError: true });

const eslint = new ESLint({ cwd: process.cwd() });
const results = [];
for (const { filePath, code } of fixtures) {
  const [result] = await eslint.lintText(code, { filePath });
  const fatal = result.messages.filter((m) => m.fatal).map((m) => m.message);
  if (fatal.length) throw new Error(`${filePath}: ${fatal.join('; ')}`);
  results.push(result.messages.filter((m) => m.ruleId === '@nx/enforce-module-boundaries').map((m) => m.message));
}
process.stdout.write(`\nRESULTS ${JSON.stringify(results)}\n`);
