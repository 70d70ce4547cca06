import { FakeCache } from '../../testing/FakeCache';
import { migratedTestDatabase, type MigratedTestDatabase } from '../../testing/testDatabase';
import { JwksRepository } from './jwks';

const key = (alg: string) => ({ publicKey: `{"alg":"${alg}"}`, privateKey: 'encrypted', createdAt: new Date(), alg });

describe('JwksRepository', () => {
  let t: MigratedTestDatabase;
  let cache: FakeCache;
  let jwks: JwksRepository;
  let other: JwksRepository;

  beforeAll(async () => {
    t = await migratedTestDatabase('jwks');
    cache = new FakeCache();
    jwks = new JwksRepository({ db: t.client, cache });
    // A second instance on the same cache (the shared Redis layer of another app instance).
    other = new JwksRepository({ db: t.client, cache });
  });
  afterAll(() => t.close());

  it('reads the whole key set once, then from the cache; a lookup by kid is answered from it', async () => {
    const first = await jwks.create(key('EdDSA'));
    const loads = cache.loads;
    expect((await jwks.findMany({ where: {} })).map((k) => k.id)).toEqual([first.id]);
    expect((await other.findMany()).map((k) => k.id)).toEqual([first.id]);
    expect(await jwks.findById(first.id)).toMatchObject({ id: first.id, alg: 'EdDSA' });
    expect(await jwks.findById('unknown-kid')).toBeNull();
    expect(cache.loads).toBe(loads + 1);
    expect((await other.findById(first.id))?.createdAt).toBeInstanceOf(Date);
  });

  it('a new key or an expiry set on one instance is in the next read of the other', async () => {
    const before = await other.findMany();
    const added = await jwks.create(key('ES256'));
    expect((await other.findMany()).map((k) => k.id)).toEqual([...before.map((k) => k.id), added.id]);
    const expiresAt = new Date(Date.now() + 60_000);
    await jwks.update(added.id, { expiresAt });
    expect((await other.findById(added.id))?.expiresAt).toEqual(expiresAt);
    await jwks.deleteMany({ alg: 'ES256' });
    expect(await other.findById(added.id)).toBeNull();
  });

  it('a filtered read goes to Postgres', async () => {
    const loads = cache.loads;
    expect((await jwks.findMany({ where: { alg: 'EdDSA' } })).every((k) => k.alg === 'EdDSA')).toBe(true);
    expect(cache.loads).toBe(loads);
  });
});
