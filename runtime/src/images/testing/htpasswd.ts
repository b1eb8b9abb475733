// An htpasswd line docker-registry accepts: distribution reads only bcrypt hashes. Made with
// bcryptjs (plain JavaScript), so no test depends on a host tool such as apache2-utils or a
// Python with the deprecated crypt module. A low cost keeps it quick; it only guards a test.
import bcrypt from 'bcryptjs';

const TEST_COST = 4;

export function htpasswdLine(username: string, password: string): string {
  return `${username}:${bcrypt.hashSync(password, TEST_COST)}\n`;
}
