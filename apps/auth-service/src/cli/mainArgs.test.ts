import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadEnvFile, parseMainArgs, UsageError } from './mainArgs';

describe('main.js arguments', () => {
  it('no argument serves; `migrate` migrates; --env-file in either spelling', () => {
    expect(parseMainArgs([])).toEqual({ command: 'serve' });
    expect(parseMainArgs(['migrate'])).toEqual({ command: 'migrate' });
    expect(parseMainArgs(['--env-file', '.env'])).toEqual({ command: 'serve', envFile: '.env' });
    expect(parseMainArgs(['migrate', '--env-file=prod.env'])).toEqual({ command: 'migrate', envFile: 'prod.env' });
  });

  it('refuses what it does not know, with the usage line', () => {
    for (const argv of [['--port', '1'], ['seed'], ['migrate', 'now'], ['--env-file'], ['--env-file=']]) {
      expect(() => parseMainArgs(argv)).toThrow(UsageError);
    }
    expect(() => parseMainArgs(['seed'])).toThrow(/unknown command "seed"\nusage: main\.js \[migrate\] \[--env-file <path>\]/);
  });

  describe('loadEnvFile', () => {
    const dir = mkdtempSync(join(tmpdir(), 'env-file-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    // That the file's variables reach the configuration, and the environment wins: main.e2e.test.ts
    // (a child process: Jest's process.env is not the process' environment).
    it('a missing file is an error naming it', () => {
      expect(() => loadEnvFile(join(dir, 'missing.env'))).toThrow(`--env-file ${join(dir, 'missing.env')}: no such file`);
    });
  });
});
