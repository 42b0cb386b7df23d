/** Prints how long each stage of an end-to-end run took. */
export async function stage<T>(name: string, work: () => Promise<T>): Promise<T> {
	const started = Date.now();
	try {
		return await work();
	} finally {
		process.stdout.write(`[e2e] ${name}: ${((Date.now() - started) / 1000).toFixed(1)}s\n`);
	}
}
