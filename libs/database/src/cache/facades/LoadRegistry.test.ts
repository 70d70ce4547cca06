import { LoadRegistry } from './LoadRegistry';

describe('LoadRegistry', () => {
  it('shares one load per key and forgets it when done', async () => {
    const loads = new LoadRegistry();
    const p = loads.start('k', [], async () => 1);
    expect(loads.get('k')?.promise).toBe(p);
    await p;
    expect(loads.size).toBe(0);
  });

  it.each([
    [{ type: 'keys', keys: ['user:1'] }, true],
    [{ type: 'keys', keys: ['user:2'] }, false],
    [{ type: 'tags', tags: ['t1'] }, true],
    [{ type: 'prefix', prefix: 'user:' }, true],
    [{ type: 'prefix', prefix: 'sess:' }, false],
    [{ type: 'clear' }, true],
  ] as const)('supersedes on %o → %s', async (what, expected) => {
    const loads = new LoadRegistry();
    let release!: () => void;
    let superseded: boolean | undefined;
    const p = loads.start('user:1', ['t1'], async (load) => {
      await new Promise<void>((r) => (release = r));
      superseded = load.superseded;
    });
    loads.supersede(what as Parameters<LoadRegistry['supersede']>[0]);
    expect(loads.get('user:1') === undefined).toBe(expected);
    release();
    await p;
    expect(superseded).toBe(expected);
  });
});
