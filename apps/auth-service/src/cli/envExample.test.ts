import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { loadConfig } from '../config';
import { SECRET_GENERATORS } from '../secretsPolicy';
import { composeRequired, ENV_EXAMPLE_PATH, renderEnvExample, schemaVariables } from './envExample';

describe('.env.example, generated from the configuration schema', () => {
  const committed = readFileSync(ENV_EXAMPLE_PATH, 'utf8');

  it('is what `npm run env:example` writes today (regenerate after changing the schema or a description)', () => {
    expect(committed).toBe(renderEnvExample());
  });

  it('names every variable of the schema once; only the ones compose requires are uncommented', () => {
    const required = composeRequired();
    for (const name of schemaVariables()) {
      const lines = committed.split('\n').filter((line) => new RegExp(`^(# )?${name}=`).test(line));
      expect({ name, lines: lines.length }).toEqual({ name, lines: 1 });
      expect({ name, uncommented: lines[0].startsWith(`${name}=`) }).toEqual({ name, uncommented: required.has(name) });
    }
  });

  it('gives no secret a value, and puts the command that generates it right above', () => {
    for (const [name, command] of Object.entries(SECRET_GENERATORS)) {
      const at = committed.split('\n').findIndex((line) => new RegExp(`^(# )?${name}=`).test(line));
      const [generate, assignment] = committed.split('\n').slice(at - 1, at + 1);
      expect({ name, generate, assignment }).toEqual({ name, generate: `# generate: ${command}`, assignment: expect.stringMatching(new RegExp(`^(# )?${name}=$`)) });
      expect(command).toMatch(/openssl rand -(base64|hex) (32|24)/);
    }
  });

  it('copied as is, it is a valid (development) configuration: empty values mean unset', () => {
    const env = parseEnv(committed);
    expect(Object.values(env).every((value) => value === '')).toBe(true);
    expect(() => loadConfig(env)).not.toThrow();
  });
});
