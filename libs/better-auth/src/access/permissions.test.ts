import { permissionGrants } from './permissions';

describe('permissionGrants: the one wildcard rule', () => {
  it.each<[string, string[], string, boolean]>([
    ['exact', ['users:read'], 'users:read', true],
    ['resource wildcard', ['users:*'], 'users:delete', true],
    ['*:*', ['*:*'], 'x:y', true],
    ['* (everything)', ['*'], 'anything', true],
    ['another action', ['users:read'], 'users:write', false],
    ['no wildcard across resources', ['user:*'], 'users:read', false],
    ['a resource wildcard needs a resource', ['users:*'], ':read', false],
    ['nothing granted', [], 'users:read', false],
  ])('%s', (_name, granted, wanted, expected) => {
    expect(permissionGrants(granted, wanted)).toBe(expected);
  });
});
