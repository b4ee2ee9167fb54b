// Run once by the compose service `mongo-init` (mongosh). Initiates replica set rs0 over the three
// members unless it already exists, then waits until a primary is elected.
const config = {
  _id: 'rs0',
  members: [
    { _id: 0, host: 'mongo1:27017', priority: 2 },
    { _id: 1, host: 'mongo2:27017', priority: 1 },
    { _id: 2, host: 'mongo3:27017', priority: 1 },
  ],
};

let initiated = false;
try {
  rs.status();
  initiated = true;
  print('replica set rs0 already initiated');
} catch (e) {
  // NotYetInitialized (code 94) is the expected state on first start
  if (e.code !== 94) throw e;
}
if (!initiated) {
  rs.initiate(config);
  print('replica set rs0 initiated');
}

for (let i = 0; i < 120; i++) {
  const hello = db.adminCommand({ hello: 1 });
  if (hello.isWritablePrimary || hello.primary) {
    print(`primary: ${hello.primary}`);
    quit(0);
  }
  sleep(1000);
}
print('no primary elected within 120 s');
quit(1);
