// Server-assigned identities, made deterministic so tests can assert on them: uids count up in
// UUID form, and generateName suffixes count up in Kubernetes' suffix alphabet (no vowels, no
// 0/1/3), five characters long like the apiserver's random ones.

const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
const suffixLength = 5;
const maxGeneratedNameLength = 63;

export class NameSequence {
  private uids = 0;
  private suffixes = 0;

  nextUid(): string {
    this.uids++;
    return `00000000-0000-4000-8000-${this.uids.toString(16).padStart(12, '0')}`;
  }

  generateName(prefix: string): string {
    let n = this.suffixes++;
    let suffix = '';
    for (let i = 0; i < suffixLength; i++) {
      suffix = alphabet.charAt(n % alphabet.length) + suffix;
      n = Math.floor(n / alphabet.length);
    }
    return prefix.slice(0, maxGeneratedNameLength - suffixLength) + suffix;
  }
}
