import { modelRequest } from '../../core/usage/requestBound';
import { readAll, type Exchange } from './exchange';

/**
 * `POST /v1/messages/count_tokens` and `POST /v1/responses/input_tokens`: the provider's own
 * count, for a token allowed the route and model. Free at the provider, so nothing is reserved
 * or charged; the answer passes through as the provider gave it.
 */
export async function serveCount(ex: Exchange): Promise<void> {
	if (!ex.token) {
		await ex.admit(undefined);
		return;
	}
	let model: string;
	try {
		model = modelRequest(ex.body).model;
	} catch (error) {
		ex.refuseInvalid(error);
		return;
	}
	if ((await ex.ledger(false)) === false || !(await ex.admit(model))) return;
	if (!(await ex.ownsPreviousResponse())) return;
	let answer;
	try {
		answer = await ex.upstream(ex.route.counter!, { body: ex.body });
	} catch {
		ex.refuse(502, 'upstream_unreachable', 'The provider could not be reached');
		return;
	}
	const body = await readAll(answer.body);
	ex.res.status(answer.statusCode).set(ex.passedHeaders(answer)).send(body);
}
