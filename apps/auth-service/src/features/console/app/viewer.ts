/** Who is signed in and which admin permissions they hold (asked of the server, never guessed). */
export interface Viewer {
  user: { id: string; email: string; name: string };
  can: { readUsers: boolean; manageUsers: boolean; readMetrics: boolean; readRoles: boolean; assignRoles: boolean };
}

/** A rendered page; `leave` stops its timers. */
export interface Page {
  element: HTMLElement;
  leave?: () => void;
}
