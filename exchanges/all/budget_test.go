package all

import "testing"

// serve enforces each exchange's budget on its requests: every adapter
// must say what it is (a zero field would fall back to a default nobody
// checked against the exchange's limits).
func TestEveryExchangeHasABudget(t *testing.T) {
	for _, a := range Adapters() {
		i := a.Info()
		if i.Budget.Concurrency <= 0 || i.Budget.PerMinute <= 0 {
			t.Errorf("%s: no request budget in Info (%+v)", i.ID, i.Budget)
		}
		if i.Budget.Concurrency > 32 || i.Budget.PerMinute > 1000 {
			t.Errorf("%s: budget %+v is above what any exchange's published limits allow one machine", i.ID, i.Budget)
		}
	}
}
