import type { BetterAuthOptions } from 'better-auth';
import { repositoryAdapter, type AdapterRepositories, type AdapterRepository } from './repositoryAdapter';

type Row = Record<string, unknown>;

/** An in-memory stand-in for a repository (the adapter is what is under test). */
function memoryRepository(): AdapterRepository & { rows: Map<string, Row> } {
  const rows = new Map<string, Row>();
  let next = 0;
  return {
    rows,
    findById: async (id) => rows.get(id) ?? null,
    findFirst: async () => [...rows.values()][0] ?? null,
    findMany: async () => [...rows.values()],
    count: async () => rows.size,
    create: async (data) => {
      const row = { ...data, id: String(data['id'] ?? `r${next++}`) };
      rows.set(row.id, row);
      return row;
    },
    update: async (id, data) => ({ ...rows.get(id), ...data }),
    updateMany: async () => 0,
    delete: async (id) => rows.delete(id),
    deleteMany: async () => {
      const n = rows.size;
      rows.clear();
      return n;
    },
  };
}

function setup() {
  const repositories: AdapterRepositories = { verification: memoryRepository() };
  const committed: string[] = [];
  const adapter = repositoryAdapter({
    repositories,
    transaction: (fn) => fn(repositories),
    onCommitted: (model) => committed.push(model),
  })({} as BetterAuthOptions);
  const verification = { identifier: 'state', value: 'v', expiresAt: new Date(Date.now() + 60_000) };
  return { adapter, committed, verification };
}

describe('repositoryAdapter onCommitted: which writes committed', () => {
  it('reports a write outside a transaction at once, with its model; reads are not reported', async () => {
    const { adapter, committed, verification } = setup();
    await adapter.create({ model: 'verification', data: verification });
    expect(committed).toEqual(['verification']);
    await adapter.findMany({ model: 'verification', where: [] });
    expect(committed).toEqual(['verification']);
  });

  it('reports writes inside a transaction only after it committed, and none of a rolled-back one', async () => {
    const { adapter, committed, verification } = setup();
    const seenInside: string[][] = [];
    await adapter.transaction(async (tx) => {
      await tx.create({ model: 'verification', data: verification });
      seenInside.push([...committed]);
    });
    expect(seenInside).toEqual([[]]);
    expect(committed).toEqual(['verification']);
    await expect(
      adapter.transaction(async (tx) => {
        await tx.create({ model: 'verification', data: verification });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(committed).toEqual(['verification']);
  });

  it('a bulk write that changed no row is not a commit', async () => {
    const { adapter, committed, verification } = setup();
    await adapter.updateMany({ model: 'verification', where: [{ field: 'identifier', value: 'none' }], update: { value: 'x' } });
    expect(committed).toEqual([]);
    await adapter.create({ model: 'verification', data: verification });
    await adapter.deleteMany({ model: 'verification', where: [{ field: 'identifier', value: 'state' }] });
    expect(committed).toEqual(['verification', 'verification']);
  });
});
