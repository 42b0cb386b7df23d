export { description } from './description';
export { log } from './execute';
