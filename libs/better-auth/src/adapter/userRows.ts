import { APIError } from 'better-auth/api';
import { isRepositoryError, type IUserRepository } from '@libs/database/postgress/repositories';
import type { AdapterRepository } from './repositoryAdapter';

/**
 * Better-Auth's view of `User` rows. A sign-up whose email belongs to a soft-deleted account
 * (invisible to finders, still holding the unique email) fails on insert: answer it with the
 * same 403 Better-Auth turns into its generic "maybe created" reply for existing emails, so a
 * sign-up never reveals whether an email is taken.
 */
export function userRows(users: IUserRepository): AdapterRepository {
  return {
    findById: (id) => users.findById(id),
    findFirst: (options) => users.findFirst(options as never),
    findMany: (options) => users.findMany(options as never),
    count: (where) => users.count(where as never),
    create: async (data) => {
      try {
        return await users.create(data as never);
      } catch (error) {
        if (isRepositoryError(error, 'UNIQUE_VIOLATION') && error.fields?.includes('email')) throw new APIError('FORBIDDEN');
        throw error;
      }
    },
    update: (id, data) => users.update(id, data as never),
    updateMany: (where, data) => users.updateMany(where as never, data),
    delete: (id) => users.delete(id),
    deleteMany: (where) => users.deleteMany(where as never),
  };
}
