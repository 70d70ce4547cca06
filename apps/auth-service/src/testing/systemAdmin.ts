import { runBootstrapAdmin } from '../bootstrap';
import type { AppContext } from '../context';

/**
 * Makes a signed-up user the system admin the way an operator would: the bootstrap promotes only
 * an account whose email is verified, so the test marks it verified first (as the verification
 * link would), then runs the bootstrap. Returns the bootstrap's answer (`assigned` on success).
 */
export async function promoteVerifiedToSystemAdmin(context: Pick<AppContext, 'repositories' | 'auth'>, user: { id: string; email: string }): ReturnType<typeof runBootstrapAdmin> {
  await context.repositories.users.update(user.id, { emailVerified: true });
  return runBootstrapAdmin(context, { email: user.email });
}
