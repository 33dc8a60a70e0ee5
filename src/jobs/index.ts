export { startJobs, syncIntervalMs, JOB_INTERVALS, MIN_SYNC_MINUTES, type Jobs, type JobsOptions, type JobName } from './scheduler';
export { decideRun, type Decision } from './decide';
