import type { IAccountRepository, ISessionRepository, IVerificationRepository, PluginTableRepositories, PluginTableRepository } from '@libs/database/postgress/repositories';
import type { AccessCore } from '../access/AccessCore';
import type { Repositories } from '../repositories';
import type { AdapterRepositories, RepositoryAdapterOptions } from './repositoryAdapter';
import { sessionRows } from './sessionRows';
import { userRows } from './userRows';

type AdapterModels = Pick<Repositories, 'users' | 'sessions' | 'accounts' | 'verifications' | 'tables'>;
type Access = Pick<AccessCore, 'sessionRule' | 'capExpiry' | 'now'>;

/**
 * Better-Auth model name → the repository view it works through: the core tables through their
 * views, every plugin table (`Repositories.tables`, registered in `PLUGIN_TABLES`) as it is.
 */
function adapterRepositories(repositories: AdapterModels, access: Access): AdapterRepositories {
  return {
    ...repositories.tables,
    user: userRows(repositories.users),
    userSession: sessionRows(repositories.sessions, repositories.users, access),
    account: repositories.accounts,
    verification: repositories.verifications,
  };
}

/** The same repositories, every one bound to one database transaction. */
function inTransaction<R>(repositories: AdapterModels, fn: (bound: AdapterModels) => Promise<R>): Promise<R> {
  const names = Object.keys(repositories.tables) as Array<keyof PluginTableRepositories>;
  const others = [repositories.sessions, repositories.accounts, repositories.verifications, ...names.map((name) => repositories.tables[name])];
  return repositories.users.transactionWith(others, (users, ...bound) => {
    const [sessions, accounts, verifications, ...tables] = bound as [ISessionRepository, IAccountRepository, IVerificationRepository, ...PluginTableRepository[]];
    return fn({ users, sessions, accounts, verifications, tables: Object.fromEntries(names.map((name, i) => [name, tables[i]])) as PluginTableRepositories });
  });
}

/**
 * The repositories and the transaction runner the app's Better-Auth adapter is built from — one
 * place, so the app and Better-Auth's own adapter suites (`conformance/`) test the same thing.
 */
export function platformAdapterOptions(repositories: AdapterModels, access: Access): Required<Pick<RepositoryAdapterOptions, 'repositories' | 'transaction'>> {
  return {
    repositories: adapterRepositories(repositories, access),
    // Better-Auth's multi-step writes (sign-up: user + account; organization: organization + owner) commit or roll back together.
    transaction: (fn) => inTransaction(repositories, (bound) => fn(adapterRepositories(bound, access))),
  };
}
