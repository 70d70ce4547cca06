import type { AccessCore } from '../access/AccessCore';
import type { Repositories } from '../repositories';
import type { AdapterRepositories, RepositoryAdapterOptions } from './repositoryAdapter';
import { sessionRows } from './sessionRows';
import { userRows } from './userRows';

type AdapterModels = Pick<Repositories, 'users' | 'sessions' | 'accounts' | 'verifications'>;

/** Better-Auth model name → the repository view it works through. */
function adapterRepositories(repositories: AdapterModels, access: Pick<AccessCore, 'decideUser' | 'capExpiry' | 'now'>): AdapterRepositories {
  return {
    user: userRows(repositories.users),
    userSession: sessionRows(repositories.sessions, repositories.users, access),
    account: repositories.accounts,
    verification: repositories.verifications,
  };
}

/**
 * The repositories and the transaction runner the app's Better-Auth adapter is built from — one
 * place, so the app and Better-Auth's own adapter suites (`conformance/`) test the same thing.
 */
export function platformAdapterOptions(repositories: AdapterModels, access: Pick<AccessCore, 'decideUser' | 'capExpiry' | 'now'>): Required<Pick<RepositoryAdapterOptions, 'repositories' | 'transaction'>> {
  return {
    repositories: adapterRepositories(repositories, access),
    // Better-Auth's multi-step writes (sign-up: user + account) commit or roll back together.
    transaction: (fn) =>
      repositories.users.transactionWith([repositories.sessions, repositories.accounts, repositories.verifications], (users, sessions, accounts, verifications) =>
        fn(adapterRepositories({ users, sessions, accounts, verifications }, access)),
      ),
  };
}
