// The quickstart in TypeScript, over the generated SDK (sdk/nodejs) and the aws-forecast provider
// plugin: one export job of each kind, through an explicit provider with its own default tags.
//
// Config: forecastArn, predictorArn, explainabilityArn, whatIfForecastArn (the parents), bucket and
// roleArn (where the files go and the role Forecast assumes), and optionally forecastEndpoint (a
// local Forecast emulator). `make typecheck` compiles it with tsc; running it needs Node.js and the
// Node.js language host, which a Pulumi install brings.
import * as pulumi from "@pulumi/pulumi";
import * as awsforecast from "@pulumi-aws-forecast/aws-forecast";

const config = new pulumi.Config();
const bucket = config.require("bucket");
const roleArn = config.require("roleArn");
const forecastEndpoint = config.get("forecastEndpoint");

const provider = new awsforecast.Provider("forecasting", {
    region: "us-east-1",
    endpoints: forecastEndpoint ? [{ forecast: forecastEndpoint }] : undefined,
    defaultTags: { tags: { team: "demand" } },
});
const opts: pulumi.CustomResourceOptions = { provider };

function destination(prefix: string): awsforecast.types.input.forecast.DataDestinationArgs {
    return { s3Config: { path: `s3://${bucket}/${prefix}/`, roleArn } };
}

const daily = new awsforecast.forecast.ForecastExportJob("daily", {
    forecastArn: config.require("forecastArn"),
    destination: destination("forecasts/daily"),
    format: "CSV",
    tags: { purpose: "quickstart" },
}, opts);

const backtest = new awsforecast.forecast.PredictorBacktestExportJob("backtest", {
    predictorArn: config.require("predictorArn"),
    destination: destination("backtests"),
    format: "PARQUET",
}, opts);

const impacts = new awsforecast.forecast.ExplainabilityExport("impacts", {
    explainabilityArn: config.require("explainabilityArn"),
    destination: destination("explainability"),
}, opts);

const scenarios = new awsforecast.forecast.WhatIfForecastExport("scenarios", {
    whatIfForecastArns: [config.require("whatIfForecastArn")],
    destination: destination("what-if"),
}, opts);

export const forecastExportArn = daily.arn;
export const forecastExportStatus = daily.status;
export const forecastExportPath = daily.destination.s3Config.path;
export const backtestExportArn = backtest.arn;
export const explainabilityExportArn = impacts.arn;
export const whatIfExportArn = scenarios.arn;
export const tagsAll: pulumi.Output<Record<string, string>> = daily.tagsAll;
