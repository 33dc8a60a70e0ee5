// The asynchronous CLI runner lives with the other CLI helpers; re-exported for the sync tests.
export { burnrateAsync, type CliRun } from '../../../helpers/cli';
