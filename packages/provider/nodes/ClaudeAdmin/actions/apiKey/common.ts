import type { IDataObject } from 'n8n-workflow';

/**
 * An API key with its workspace read where the API now keeps it: `scope.workspace_id` (a
 * workspace-scoped key; the real ID even for the default workspace), falling back to the
 * deprecated top-level `workspace_id`. An organization-scoped key has none.
 */
export function withWorkspace(key: IDataObject): IDataObject {
	const scope = key.scope as IDataObject | null | undefined;
	const scoped = scope?.type === 'workspace' ? scope.workspace_id : undefined;
	return { ...key, workspace_id: (scoped ?? key.workspace_id ?? null) as string | null };
}
