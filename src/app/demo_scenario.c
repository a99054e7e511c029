/* demo_scenario.c: the incidents the demo generator can inject (docs/demo-data.md, "The
 * incident"). Scenario 0 is the classic one of the demo and the tests; the others break other
 * steps of the funnel for other kinds of segment (a platform and version, a country, a
 * plan), so that the diagnosis is measured on more than one shape of incident. */
#include "app/demo_internal.h"

_Static_assert(DEMO_SCENARIO_COUNT == DEMO_SCENARIOS, "one table");

const struct demo_scenario demo_scenarios[DEMO_SCENARIO_COUNT] = {
    {"android-payments", PLAT_ANDROID, VER_AND_5_2, -1, -1, EV_PURCHASE, SVC_PAYMENTS,
     "platform=android,app_version=5.2", "5.2-build41", "5.2", 42,
     "payment provider timeout sdk=5.2 code=504", "order",
     "Incident declared: payment failures on android 5.2",
     "payments.new_sdk off for platform=android", "platform=android",
     "Incident resolved: payments error rate back to baseline", DEMO_CONV_DURING, 0},
    {"ios-checkout", PLAT_IOS, VER_IOS_7_2, -1, -1, EV_PAYMENT, SVC_CHECKOUT,
     "platform=ios,app_version=7.2", "3.9-build7", "3.9", 8,
     "checkout token rejected client=ios-7.2 code=422", "cart",
     "Incident declared: iOS 7.2 users stuck at checkout",
     "checkout.token_v2 off for platform=ios", "platform=ios",
     "Incident resolved: checkout error rate back to baseline", 0, 0.25},
    {"india-cart", -1, -1, 4 /* IN */, -1, EV_CHECKOUT, SVC_CATALOG,
     "country=IN", "4.4-build3", "4.4", 4,
     "address lookup failed country=IN code=500", "cart",
     "Incident declared: checkout cannot start in India",
     "catalog.address_lookup_v2 off for country=IN", "country=IN",
     "Incident resolved: catalog error rate back to baseline", 0, 0.3},
    {"pro-cart", -1, -1, -1, PLAN_PRO, EV_CART, SVC_CHECKOUT,
     "plan=pro", "3.9-build2", "3.9", 3,
     "cart write conflict plan=pro code=409", "cart",
     "Incident declared: pro customers cannot add to cart",
     "checkout.cart_v3 off for plan=pro", "plan=pro",
     "Incident resolved: checkout error rate back to baseline", 0, 0.5},
};

const char *demo_scenario_name(int i)
{
    return i >= 0 && i < DEMO_SCENARIO_COUNT ? demo_scenarios[i].name : NULL;
}

const char *demo_scenario_service(int i)
{
    return i >= 0 && i < DEMO_SCENARIO_COUNT ? demo_service_name[demo_scenarios[i].service]
                                             : NULL;
}

const char *demo_scenario_segment(int i)
{
    return i >= 0 && i < DEMO_SCENARIO_COUNT ? demo_scenarios[i].segment : NULL;
}
