/** Cache keys and tags of user rows; every user entry carries the `user:<id>` tag. */
export const userCacheKeys = {
  byId: (id: string) => `user:id:${id}`,
  byEmail: (email: string) => `user:email:${email.toLowerCase()}`,
  tag: (id: string) => `user:${id}`,
  /** On every user entry: dropped by bulk writes whose rows are unknown. */
  all: 'users',
} as const;
