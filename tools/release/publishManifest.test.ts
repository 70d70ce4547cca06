import { compiledEntry, publishManifest, type WorkspaceManifest } from './publishManifest';

const source: WorkspaceManifest = {
  name: '@libs/example',
  version: '1.2.3',
  license: 'MIT',
  private: true,
  scripts: { build: 'tsc' },
  devDependencies: { typescript: '5' },
  exports: {
    '.': './src/index.ts',
    './src/executeWithRetry': './src/executeWithRetry.ts',
    './testing': './src/testing/index.ts',
    './package.json': './package.json',
  },
  dependencies: { '@libs/monitoring': '^0.1.0' },
  files: ['src', 'prisma/migrations'],
};

describe('publishManifest', () => {
  const emitted = new Set(['src/index.js', 'src/executeWithRetry.js']);
  const manifest = publishManifest(source, {
    emitted: (path) => emitted.has(path),
    repository: { type: 'git', url: 'git+https://example.test/repo.git' },
    directory: 'libs/example',
  });

  it('points every export the build emits at its compiled pair, types first', () => {
    expect(manifest['exports']).toEqual({
      '.': { types: './src/index.d.ts', default: './src/index.js' },
      './src/executeWithRetry': { types: './src/executeWithRetry.d.ts', default: './src/executeWithRetry.js' },
      './package.json': './package.json',
    });
    expect(Object.keys((manifest['exports'] as Record<string, Record<string, string>>)['.'])).toEqual(['types', 'default']);
    expect(manifest['main']).toBe('./src/index.js');
    expect(manifest['types']).toBe('./src/index.d.ts');
  });

  it('leaves out workspace-only exports and fields', () => {
    expect(manifest['exports']).not.toHaveProperty('./testing');
    expect(manifest).not.toHaveProperty('private');
    expect(manifest).not.toHaveProperty('scripts');
    expect(manifest).not.toHaveProperty('devDependencies');
  });

  it('keeps dependencies and ships the extra files, the README and the licence', () => {
    expect(manifest['dependencies']).toEqual({ '@libs/monitoring': '^0.1.0' });
    expect(manifest['files']).toEqual(['src', 'prisma/migrations', 'README.md', 'LICENSE']);
    expect(manifest['repository']).toEqual({ type: 'git', url: 'git+https://example.test/repo.git', directory: 'libs/example' });
  });

  it('refuses a package whose root export the build does not emit', () => {
    expect(() => publishManifest(source, { emitted: () => false, directory: 'libs/example' })).toThrow('"." export');
  });

  it('maps only TypeScript sources', () => {
    expect(compiledEntry('./package.json')).toBe('./package.json');
    expect(compiledEntry('./src/types.d.ts')).toBe('./src/types.d.ts');
  });
});
