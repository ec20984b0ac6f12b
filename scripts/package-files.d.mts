/** The packaged files under `root` (the .vsix's, from .vscodeignore), as paths relative to it with `/`, sorted. */
export function packagedFiles(root: string): string[];
/** Copies the packaged files of `root` into `target` (emptied first), as installing the .vsix lays them out. */
export function installPackagedFiles(root: string, target: string): void;
