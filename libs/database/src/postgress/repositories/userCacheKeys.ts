import { cacheTags } from './cacheTags';

/** Cache keys and tags of user rows; every user entry carries its `cacheTags.user` tag. */
export const userCacheKeys = {
  byId: (id: string) => `user:id:${id}`,
  byEmail: (email: string) => `user:email:${email.toLowerCase()}`,
  tag: cacheTags.user,
  /** On every user entry: dropped by bulk writes whose rows are unknown. */
  all: cacheTags.allUsers,
} as const;
