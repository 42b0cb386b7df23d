import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';
import type { PoolClient } from 'pg';

/**
 * One operation's room: its fields, `read` (checks one item and touches nothing) and `write`
 * (given every item that passed, writes them; store operations in one transaction).
 */
export interface LedgerOperation<Input = unknown> {
	option: INodePropertyOptions;
	description: INodeProperties[];
	read(this: IExecuteFunctions, itemIndex: number): Input;
	write(
		this: IExecuteFunctions,
		db: PoolClient,
		inputs: Array<{ item: number; input: Input }>,
	): Promise<INodeExecutionData[]>;
	/** Runs on a database at any schema version (Database operations). */
	anySchema?: boolean;
}

export const show = (resource: string, operation: string) => ({
	show: { resource: [resource], operation: [operation] },
});
