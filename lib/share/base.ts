import path from 'node:path';

/**
 * The shared base (`paths.shared_storage_base`, facts §1.3): `<root>/<ns>` when the root's directory name is
 * `uploads`, else `<root>/uploads/<ns>`.
 */
export function sharedBase(root: string, namespace: string): string {
  const abs = path.resolve(root);
  return path.basename(abs) === 'uploads' ? path.join(abs, namespace) : path.join(abs, 'uploads', namespace);
}

/** Why a namespace cannot be used as one path segment, or null when it can. */
export function namespaceProblem(namespace: string): string | null {
  if (namespace.trim() === '') return 'YTM_SHARED_STORAGE_NAMESPACE is empty';
  if (namespace === '.' || namespace === '..' || /[/\\\0]/.test(namespace)) {
    return `YTM_SHARED_STORAGE_NAMESPACE must be one directory name, got ${JSON.stringify(namespace)}`;
  }
  return null;
}
