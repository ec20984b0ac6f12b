// Small helpers shared by the host's modules, free of `vscode` so the explorer model and its tests can use them.

/** The message of anything thrown, for people (a MindSphereError's message is already one line with the status). */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
