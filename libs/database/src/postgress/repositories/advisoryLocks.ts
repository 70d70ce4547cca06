/**
 * Keys of the transaction-level Postgres advisory locks the repositories take
 * (`pg_advisory_xact_lock`), in one place so no two uses share a key by accident. Each is held
 * until its transaction ends, on every instance of every app on the database.
 */
export const ADVISORY_LOCKS = {
  /** Re-parenting a role: two concurrent re-parentings cannot form a cycle together (`RoleRepository.update`). */
  roleHierarchy: 72_707_370,
  /** A change that could take away a system administrator (`UserRepository.withAdminChangeLock`). */
  adminChange: 72_707_371,
} as const;
