import { WebhookTargetPolicy, WebhookTargetRefused } from './webhook-target';

const resolvingTo =
  (...addresses: string[]) =>
  async () =>
    addresses.map((address) => ({ address, family: (address.includes(':') ? 6 : 4) as 4 | 6 }));

describe('webhook targets', () => {
  const strict = new WebhookTargetPolicy(false, resolvingTo('93.184.215.14'));

  it('accepts an https URL whose host resolves to public addresses, and pins those addresses', async () => {
    await expect(strict.addressesFor('https://hooks.example.org/plo')).resolves.toMatchObject({
      addresses: [{ address: '93.184.215.14', family: 4 }],
    });
  });

  it.each([
    ['http://hooks.example.org/plo', /https/],
    ['https://127.0.0.1/x', /loopback/],
    ['https://[::1]/x', /loopback/],
    ['https://10.1.2.3/x', /private/],
    ['https://172.20.0.5/x', /private/],
    ['https://192.168.1.1/x', /private/],
    ['https://169.254.169.254/latest/meta-data', /link-local/],
    ['https://[fe80::1]/x', /link-local/],
    ['https://[fd00::1]/x', /private/],
    ['https://[::ffff:127.0.0.1]/x', /loopback/],
    ['https://user:pass@hooks.example.org/x', /credentials/],
    ['not a url', /valid URL/],
  ])('refuses %s', async (url, reason) => {
    await expect(strict.addressesFor(url)).rejects.toThrow(reason);
  });

  it('refuses a name with any internal address among its answers (DNS rebinding)', async () => {
    const rebinding = new WebhookTargetPolicy(false, resolvingTo('93.184.215.14', '10.0.0.7'));
    await expect(rebinding.addressesFor('https://hooks.example.org/plo')).rejects.toBeInstanceOf(WebhookTargetRefused);
  });

  it('allows http and private addresses only when told to (development and tests)', async () => {
    const relaxed = new WebhookTargetPolicy(true, resolvingTo('127.0.0.1'));
    await expect(relaxed.addressesFor('http://localhost:8080/hook')).resolves.toMatchObject({ addresses: [{ address: '127.0.0.1' }] });
  });
});
