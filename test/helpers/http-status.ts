import http from 'node:http';

/** The status of an HTTP GET at the URL's root, or 'refused' when nothing listens there. */
export function httpStatus(url: string): Promise<number | 'refused'> {
  return new Promise((resolve) => {
    http
      .get(`${url}/`, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
      .on('error', () => resolve('refused'));
  });
}
