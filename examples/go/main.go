// The quickstart in Go, over the generated SDK (sdk/go) and the aws-forecast provider plugin: one
// export job of each kind, through an explicit provider with its own default tags.
//
// Config: forecastArn, predictorArn, explainabilityArn, whatIfForecastArn (the parents), bucket and
// roleArn (where the files go and the role Forecast assumes), and optionally forecastEndpoint (a
// local Forecast emulator). `make typecheck` builds it; running it needs the Go language host,
// which a Pulumi install brings.
package main

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"

	"github.com/pulumi-aws-forecast/pulumi-aws-forecast/sdk/go/awsforecast"
	"github.com/pulumi-aws-forecast/pulumi-aws-forecast/sdk/go/awsforecast/forecast"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		cfg := config.New(ctx, "")
		bucket := cfg.Require("bucket")
		roleArn := cfg.Require("roleArn")

		providerArgs := &awsforecast.ProviderArgs{
			Region:      pulumi.String("us-east-1"),
			DefaultTags: awsforecast.ProviderDefaultTagsArgs{Tags: pulumi.StringMap{"team": pulumi.String("demand")}},
		}
		if endpoint := cfg.Get("forecastEndpoint"); endpoint != "" {
			providerArgs.Endpoints = awsforecast.ProviderEndpointArray{
				awsforecast.ProviderEndpointArgs{Forecast: pulumi.String(endpoint)},
			}
		}
		provider, err := awsforecast.NewProvider(ctx, "forecasting", providerArgs)
		if err != nil {
			return err
		}
		opts := pulumi.Provider(provider)

		destination := func(prefix string) forecast.DataDestinationArgs {
			return forecast.DataDestinationArgs{S3Config: forecast.S3ConfigArgs{
				Path:    pulumi.String(fmt.Sprintf("s3://%s/%s/", bucket, prefix)),
				RoleArn: pulumi.String(roleArn),
			}}
		}

		daily, err := forecast.NewForecastExportJob(ctx, "daily", &forecast.ForecastExportJobArgs{
			ForecastArn: pulumi.String(cfg.Require("forecastArn")),
			Destination: destination("forecasts/daily"),
			Format:      pulumi.String("CSV"),
			Tags:        pulumi.StringMap{"purpose": pulumi.String("quickstart")},
		}, opts)
		if err != nil {
			return err
		}
		backtest, err := forecast.NewPredictorBacktestExportJob(ctx, "backtest", &forecast.PredictorBacktestExportJobArgs{
			PredictorArn: pulumi.String(cfg.Require("predictorArn")),
			Destination:  destination("backtests"),
			Format:       pulumi.String("PARQUET"),
		}, opts)
		if err != nil {
			return err
		}
		impacts, err := forecast.NewExplainabilityExport(ctx, "impacts", &forecast.ExplainabilityExportArgs{
			ExplainabilityArn: pulumi.String(cfg.Require("explainabilityArn")),
			Destination:       destination("explainability"),
		}, opts)
		if err != nil {
			return err
		}
		scenarios, err := forecast.NewWhatIfForecastExport(ctx, "scenarios", &forecast.WhatIfForecastExportArgs{
			WhatIfForecastArns: pulumi.StringArray{pulumi.String(cfg.Require("whatIfForecastArn"))},
			Destination:        destination("what-if"),
		}, opts)
		if err != nil {
			return err
		}

		ctx.Export("forecastExportArn", daily.Arn)
		ctx.Export("forecastExportStatus", daily.Status)
		ctx.Export("forecastExportPath", daily.Destination.S3Config().Path())
		ctx.Export("backtestExportArn", backtest.Arn)
		ctx.Export("explainabilityExportArn", impacts.Arn)
		ctx.Export("whatIfExportArn", scenarios.Arn)
		ctx.Export("tagsAll", daily.TagsAll)
		return nil
	})
}
