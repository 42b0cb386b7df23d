export { log } from './execute';
