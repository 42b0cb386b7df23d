import { setUpDatabase } from '../../../../core/schema';
import { type LedgerOperation } from '../operation';

/** Applies the migrations the database lacks, once for the whole input. */
export const operation: LedgerOperation<null> = {
	option: {
		name: 'Set Up',
		value: 'setUp',
		action: 'Set up or upgrade the ledger database',
		description:
			'Create or upgrade the ledger tables to this version; safe to run again and from several workers at once',
	},
	description: [],
	anySchema: true,
	read: () => null,
	async write(db, inputs) {
		const result = await setUpDatabase(db);
		return [{ json: { ...result }, pairedItem: inputs.map(({ item }) => ({ item })) }];
	},
};
